"""The ground every area stands on: the acting user, errors, clock, numbers, money, permissions, business log, profiles."""
