"""Administration screens: the operator list, its add/detail/modify popups and 用户审核; 单位信息管理."""
