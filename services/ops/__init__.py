"""Operations checks: the fund's invariants behind `wxzj check`."""
