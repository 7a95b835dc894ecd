"""审核业务: the reviewer's queue and the order under review."""
