"""Operator administration screens: the operator list, its add/detail/modify popups, and 用户审核."""
