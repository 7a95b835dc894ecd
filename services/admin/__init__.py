"""Administration of the unit itself: its information (单位信息管理) and the enterprise register behind 质监校验."""
