"""City profiles (BY-11): what differs between the Beijing and the Shanghai deployment."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    key: str
    city: str
    title: str
    districts: tuple[tuple[str, str], ...]  # (administrative code, name)
    community_offices: bool  # BJ-26: Beijing folded 小区管理处 into the enterprise role
    login_methods: tuple[str, ...]  # offered on the login screen, in this order
    mobile_login: bool = False  # SH-11: subordinates and 小区管理处 log in with 手机号码, 密码, 手机验证码
    # SH-05: every login goes through the 统一登录平台: 确认选择 of the system, then the role when there are several
    system_choice: bool = False


PROFILES: dict[str, Profile] = {
    "beijing": Profile(
        key="beijing",
        city="北京市",
        title="北京市住宅专项维修资金管理系统",
        districts=(
            ("110101", "东城区"), ("110102", "西城区"), ("110105", "朝阳区"), ("110106", "丰台区"),
            ("110107", "石景山区"), ("110108", "海淀区"), ("110109", "门头沟区"), ("110111", "房山区"),
            ("110112", "通州区"), ("110113", "顺义区"), ("110114", "昌平区"), ("110115", "大兴区"),
            ("110116", "怀柔区"), ("110117", "平谷区"), ("110118", "密云区"), ("110119", "延庆区"),
        ),
        community_offices=False,
        login_methods=("password", "key"),
    ),
    "shanghai": Profile(
        key="shanghai",
        city="上海市",
        title="上海市房屋维修资金管理系统",
        districts=(
            ("310101", "黄浦区"), ("310104", "徐汇区"), ("310105", "长宁区"), ("310106", "静安区"),
            ("310107", "普陀区"), ("310109", "虹口区"), ("310110", "杨浦区"), ("310112", "闵行区"),
            ("310113", "宝山区"), ("310114", "嘉定区"), ("310115", "浦东新区"), ("310116", "金山区"),
            ("310117", "松江区"), ("310118", "青浦区"), ("310120", "奉贤区"), ("310151", "崇明区"),
        ),
        community_offices=True,
        login_methods=("password",),
        mobile_login=True,
        system_choice=True,
    ),
}

ROLE_LABELS = {
    "enterprise_admin": "企业管理员",
    "enterprise_operator": "企业经办人",
    "office_operator": "小区管理处经办人",
    "reviewer": "管理部审核员",
    "sysadmin": "系统管理员",
    "registrant": "未认证用户",
}


def get_profile(key: str) -> Profile:
    try:
        return PROFILES[key]
    except KeyError:
        raise ValueError(f"未知的城市配置：{key}（可选：{'、'.join(PROFILES)}）") from None
