"""The demo database's accounts, listed on the login screen in demo mode.

Kept apart from services.demo.build so the login screen can show them without loading the database layer.
"""

DEMO_PASSWORD = "Demo@2026"
LEGACY_CERT_NO = "BJ1100000001"  # BJ-07: a key from before the system started
# BY-08: a demo account with an authenticator, enrolled with this published secret; `wxzj otp-code kouling` prints
# its current code (for a demo database only), or an authenticator app takes the secret by hand.
OTP_DEMO_USER = "kouling"
OTP_DEMO_SECRET = "WXZJDEMOKOULINGQ3ZF5T6Y7UVW4RSAB"
OTP_DEMO_MOBILE = "13916000009"

# (user name, role, whose account)
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("qyadmin", "企业管理员", "物业服务企业一"),
    ("qyjb", "企业经办人", "物业服务企业一"),
    # Shanghai: 小区管理处经办人; Beijing (BJ-26): an enterprise operator kept to the office's community.
    ("xqjb", "小区管理处用户", "企业一的小区管理处，仅限本小区"),
    ("shenhe", "管理部审核员", "企业一所在区的管理部"),
    ("admin", "系统管理员", "住房资金管理中心"),
    ("duoshenfen", "两个身份（SH-05）", "企业二管理员、企业三经办人"),
    (OTP_DEMO_USER, "企业经办人，动态口令", "企业三；口令：wxzj otp-code kouling"),
    ("zhuce", "未认证用户", "尚未办理单位注册"),
    (LEGACY_CERT_NO, "原密钥用户（北京）", "先按F4经办人信息确认，再F2密钥登录"),
)

# SH-11 (Shanghai): subordinates and 小区管理处 log in with F2 手机号码登录 — 手机号码, 密码 and the 手机验证码 that
# 【获取验证码】 leaves in the outbox (`wxzj outbox` shows it). (mobile, user name, first login?)
XQJB_MOBILE = "13916000001"
FIRST_LOGIN_MOBILE = "13916000002"
MOBILE_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    (XQJB_MOBILE, "手机号码登录（F2）", "即 xqjb；验证码用 wxzj outbox 查看"),
    (FIRST_LOGIN_MOBILE, "手机号码首次登录（F2）", "小区管理处新用户，须先修改初始密码"),
)
BEIJING_ONLY = ("zhuce", LEGACY_CERT_NO)  # BJ-01..03 and BJ-07 are Beijing's


def demo_accounts(profile_key: str) -> tuple[tuple[str, str, str], ...]:
    """The lines of the login screen's demo list for a city profile."""
    if profile_key == "shanghai":
        return tuple(a for a in DEMO_ACCOUNTS if a[0] not in BEIJING_ONLY) + MOBILE_ACCOUNTS
    return DEMO_ACCOUNTS
