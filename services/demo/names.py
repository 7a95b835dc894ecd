"""Realistic-looking Chinese people and places for the demo database, all drawn from one random.Random."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import accumulate

from services.core.checkcodes import credit_code_check_char, id_card_check_char, org_code_check_char

# The hundred commonest surnames, roughly in order of frequency: earlier ones are drawn more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_CUM_WEIGHTS = tuple(accumulate(100 / (i + 8) for i in range(len(SURNAMES))))
MALE_CHARS = (
    "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星"
    "光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言"
    "若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
)
FEMALE_CHARS = (
    "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂"
    "娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓"
    "悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
)
# 13x, 15x and 18x; 154 was never issued.
MOBILE_PREFIXES = tuple(f"1{d}" for d in range(30, 40)) + tuple(f"15{d}" for d in "012356789") + tuple(
    f"1{d}" for d in range(80, 90)
)
# Birthplaces outside the city, so not every owner was born where they live.
OTHER_AREA_CODES = (
    "130102", "130602", "140105", "210102", "220104", "230103", "320102", "320583", "330106", "340104",
    "350102", "360103", "370102", "370202", "410105", "420106", "430104", "500103", "510107", "610113",
)
ROAD_STEMS = (
    "望京", "安立", "建国", "光华", "学院", "育新", "双清", "团结", "和平", "体育", "滨河", "金桥", "张杨",
    "世纪", "春申", "莲花", "虹梅", "古美", "龙华", "天山", "武宁", "曹杨", "控江", "殷高", "共康", "丰收",
    "长春", "永安", "青年", "文化", "科技", "民族", "复兴", "新华", "东风", "胜利", "朝阳", "广安", "清河",
)
ROAD_SUFFIXES = ("路", "街", "西路", "东路", "南路", "北路", "中路")
COMMUNITY_STEMS = (
    "阳光", "金色", "锦绣", "翠湖", "碧水", "华庭", "丽景", "望京", "紫荆", "世纪", "书香", "绿洲", "橡树",
    "枫林", "桃源", "海棠", "芳草", "和平", "幸福", "康乐", "泰和", "名都", "新城", "金域", "天润", "御景",
    "润泽", "东方", "明珠", "星河", "玉兰", "香山", "清水", "晨光", "博雅", "怡景", "嘉和", "瑞安", "长安",
    "春晓",
)
COMMUNITY_SUFFIXES = (
    "花园", "家园", "小区", "苑", "嘉园", "丽景", "公寓", "新村", "雅苑", "名邸", "华府", "庭院", "里", "佳园",
)
REPAIRS = (
    "屋面防水维修", "外墙渗漏维修", "电梯维修", "消防设施维修", "供水管道更换", "单元门禁更换", "楼道照明改造",
    "雨污水管道疏通", "外墙保温修复", "电梯更新改造",
)

_BIRTH_FIRST, _BIRTH_END = date(1945, 1, 1), date(2004, 1, 1)  # adults born 1945–2003
_BIRTHDAYS = tuple(f"{_BIRTH_FIRST + timedelta(days=n):%Y%m%d}" for n in range((_BIRTH_END - _BIRTH_FIRST).days))


class People:
    """Names, resident ID numbers and mobiles. ID numbers are unique within one People."""

    def __init__(self, rng: random.Random, home_area_codes: tuple[str, ...]) -> None:
        self.rng = rng
        self.area_codes = home_area_codes
        self._issued: set[int] = set()

    def person(self) -> tuple[str, str, str]:
        """(name, ID number, mobile) of a new adult; name and ID number agree on the sex."""
        rng = self.rng
        male = rng.random() < 0.5
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.75 else "")
        name = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0] + given
        return name, self.id_number(male), self.mobile()

    def id_number(self, male: bool) -> str:
        rng = self.rng
        while True:
            area = rng.choice(self.area_codes) if rng.random() < 0.6 else rng.choice(OTHER_AREA_CODES)
            order = rng.randrange(500) * 2 + male  # odd order code: male
            body = f"{area}{rng.choice(_BIRTHDAYS)}{order:03d}"
            key = int(body)
            if key not in self._issued:
                self._issued.add(key)
                return body + id_card_check_char(body)

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"


def credit_code(rng: random.Random, kind_prefix: str, area_code: str) -> tuple[str, str]:
    """A unified social credit code and the organisation code (XXXXXXXX-X) inside it.

    kind_prefix is the registering authority and organisation type: "91" for a company, "11" for a
    government body."""
    body = f"{rng.randrange(10**8):08d}"
    org_code = body + org_code_check_char(body)
    first17 = kind_prefix + area_code + org_code
    return first17 + credit_code_check_char(first17), f"{body}-{org_code[-1]}"


def road_address(rng: random.Random) -> str:
    return f"{rng.choice(ROAD_STEMS)}{rng.choice(ROAD_SUFFIXES)}{rng.randint(1, 299)}"
