"""Administration for enterprise administrators: operator lists, add/modify/disable, real-name review; the
unit's own information (单位信息管理) and the enterprise register behind 质监校验."""
