"""Administration screens of the unit itself: 单位信息管理."""
