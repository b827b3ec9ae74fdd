"""Name lists for the demo town, written for this project (no dataset copied).

Why weights: a uniform draw from a few hundred surnames makes "张伟"-style collisions
rare, so duplicate detection and search would look easier than they are. Surname weights
approximate the published national frequencies (王, 李, 张 each about 7%, 刘 about 5.4%,
陈 about 4.5%, then a long tail; PERFORMANCE.md §1.2), in units of 0.01%. Each village
then adds its own dominant lineages on top (``town.S_TOWN_VILLAGES``), as Henan villages do.

Given names are by generation (children born since about 2008, parents born 1975–2000,
grandparents born 1945–1975) and by sex, most popular first; ``ranked_weights`` turns the
order into a Zipf-like weight so that popular names repeat. Children's names are also
composed from character lists, so that a township has a few dozen same-name children, not
hundreds (too many would make search and duplicate detection look harder than they are).
"""

import re


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _weighted(text: str) -> tuple[tuple[str, int], ...]:
    """ "王710 李700" -> (("王", 710), ("李", 700))."""
    return tuple((name, int(weight)) for name, weight in re.findall(r"([^\d\s]+)(\d+)", text))


# Surname and weight in units of 0.01% of the population, roughly most common first.
_SURNAME_TABLE = """
    王710 李700 张680 刘540 陈450 杨310 赵230 黄220 周170 吴160
    徐130 孙130 胡130 朱120 高120 林110 何110 郭120 马110 罗90
    梁90 宋80 郑80 谢80 韩70 唐70 冯70 于60 董60 肖60
    程60 曹60 袁50 邓50 许50 傅40 沈50 曾50 彭50 吕50
    苏50 卢50 蒋50 蔡50 贾40 丁40 魏40 薛40 叶40 闫40
    余40 潘40 杜40 戴30 夏30 钟30 汪30 田30 任30 姜30
    范30 方30 石30 姚30 谭30 廖30 邹30 熊30 金30 陆30
    郝30 孔30 白30 崔30 康30 毛30 邱30 秦30 江30 史20
    顾20 侯20 邵20 孟20 龙20 万20 段20 雷20 钱20 汤20
    尹20 黎20 易20 常20 武20 乔20 贺20 赖20 龚20 文20
    牛15 申12 岳12 耿10 翟10 左10 葛10 庞8 樊8 兰8
    殷8 焦8 路8 付8 靳6
"""
# The long tail: the surnames above cover about 85% of people; these stand for the rest.
_TAIL_SURNAME_TABLE = """
    严12 洪12 莫12 向12 邢12 安12 涂12 温12 施12 章12 鲁12 韦12
    苗12 俞12 柳12 鲍12 费12 岑12 倪12 滕12 毕12 时12 皮12 卞12
    齐12 伍12 元12 平12 穆12 祁12 米12 明12 臧12 成12 纪12
    舒12 屈12 项12 祝12 阮12 蓝12 闵12 席12 季12 麻12 强12 娄12
    童12 颜12 梅12 盛12 骆12 凌12 霍12 虞12 柯12 管12 房12 裘12
    缪12 应12 宗12 宣12 郁12 包12 吉12 裴12 荣12 翁12 惠12 甄12
    曲12 封12 储12 富12 巫12 谷12 车12 全12 班12 仲12 宫12 宁12
    栾12 甘12 厉12 符12 景12 詹12 蒲12 邰12 卓12 蔺12 屠12 蒙12
    池12 党12 姬12 冉12 桑12 桂12 边12 燕12 冀12 尚12 庄12 晏12
    柴12 瞿12 慕12 连12 茹12 艾12 古12 戈12 满12 匡12 寇12 聂12
    辛12 关12 游12 权12 盖12 覃12
"""
# Surnames whose reading differs from the character's usual one (pinyin overrides) and
# compound surnames, so that search and linkage meet them in the demo.
_RARE_SURNAME_TABLE = """
    单6 解5 仇3 查3 乐3 欧阳3 司马2 上官1 诸葛1
"""
SURNAMES: tuple[tuple[str, int], ...] = (
    _weighted(_SURNAME_TABLE) + _weighted(_TAIL_SURNAME_TABLE) + _weighted(_RARE_SURNAME_TABLE)
)

# Children, born since about 2008. A child's given name is one of the fashionable names
# of the time (浩然, 子涵 …: these make the same-name children), or a single character, or
# composed from a first and a second character (a large pool, as real naming is).
BOY_POPULAR = _words(
    """
    浩然 子轩 宇轩 梓豪 俊杰 浩宇 子豪 一鸣 宇航 博文
    子涵 皓轩 天佑 嘉豪 明轩 家乐 晨阳 雨泽 思远 浩轩
    梓睿 铭泽 宇辰 子墨 一诺 佳豪 文博 俊熙 沐宸 睿泽
    振宇 嘉乐 梓轩 浩天 宏伟 天宇 泽宇 弘毅 子健 俊豪
    """
)
BOY_SINGLE = _words("鑫 浩 宇 博 杰 阳 鹏 凯 帅 乐 旭 晨 磊 豪 涛 斌 龙 航 昊 锐")
BOY_FIRST = _words(
    """
    子 梓 浩 宇 俊 一 博 家 嘉 皓 天 明 思 铭 文 晨 雨 泽 睿 沐
    佳 振 志 鑫 鹏 昊 奕 锦 永 建 海 亚 新 国 金 德 瑞 春 少 世
    """
)
BOY_SECOND = _words(
    """
    轩 豪 然 宇 杰 鸣 航 文 涵 佑 辰 泽 睿 阳 远 乐 博 凯 熙 宸
    诚 峰 林 伟 瑞 晨 毅 恒 川 楠 彬 森 哲 铭 翔 飞 勇 强 鑫 涛
    """
)
GIRL_POPULAR = _words(
    """
    子涵 欣怡 梓涵 雨涵 一诺 思涵 诗涵 欣妍 可馨 梓萱
    佳怡 语桐 若汐 雨桐 紫涵 梦瑶 佳琪 雅婷 悦彤 静怡
    艺涵 嘉怡 心怡 欣悦 晓雪 婷婷 甜甜 佳慧 梦琪 思雨
    雨欣 诗琪 梓琪 馨月 晨曦 子怡 安琪 雨萱 梦涵 亚楠
    """
)
GIRL_SINGLE = _words("婷 雪 悦 琪 瑶 娜 静 欣 妍 萌 颖 蕾 佳 敏 璐 丹 洁 莹 薇 玥")
GIRL_FIRST = _words(
    """
    子 梓 欣 雨 思 诗 佳 嘉 梦 可 语 若 紫 雅 悦 静 艺 心 晓 婉
    书 一 依 安 美 慧 晨 馨 佩 文 丽 春 秀 金 玉 彩 月 明 亚 家
    """
)
GIRL_SECOND = _words(
    """
    涵 怡 萱 妍 琪 彤 婷 馨 雪 瑶 桐 汐 欣 悦 雯 琳 蕊 然 诺 宁
    菲 颖 娜 晴 茜 璐 洁 雨 月 慧 楠 静 茹 丹 玲 莉 艳 芳 娟 敏
    """
)
# How a child's given name is drawn: (fashionable, single character, composed).
CHILD_NAME_KINDS = (0.22, 0.10, 0.68)

# Parents, born about 1975-2000.
MEN_NAMES = _words(
    """
    伟 磊 勇 军 强 涛 斌 超 明 刚
    建军 建华 海涛 志刚 志强 国伟 红军 晓东 永强 建伟
    俊峰 向阳 亚伟 振华 卫东 海军 松涛 平 辉 鹏
    华 飞 鑫 波 杰 东升 新峰 红伟 晓光 春雷
    小龙 国栋 利民 长江 永辉
    """
)
WOMEN_NAMES = _words(
    """
    丽 静 敏 艳 娟 霞 芳 燕 玲 红
    红梅 丽娟 秀丽 海燕 晓燕 雪梅 玉梅 丽丽 艳红 春燕
    亚楠 晓丽 小红 小娟 慧敏 彩霞 丹 萍 莉 晶
    俊霞 巧玲 丽霞 素娟 利娟 晓静 艳丽 冬梅 月娥 翠萍
    """
)

# Grandparents, born about 1945-1975.
OLD_MEN_NAMES = _words(
    """
    建国 国强 国庆 建军 建设 卫国 保国 志明 长春 金山
    铁柱 德福 文华 学军 明亮 春生 秋生 振国 富贵 有才
    林 福 贵 山 海 成 满仓 天顺 玉林 新民
    运来 双喜 根生 进财 守义
    """
)
OLD_WOMEN_NAMES = _words(
    """
    秀英 桂英 玉兰 秀兰 凤英 桂兰 玉梅 秀珍 桂芳 玉珍
    春兰 淑珍 翠花 素芳 爱荣 秀云 凤兰 桂香 玉芝 金花
    花 英 兰 荣 梅 改焕 小妮 爱莲 巧云 素珍
    风琴 月英 粉英 秋菊 换英
    """
)


def ranked_weights(names: tuple[str, ...], exponent: float = 0.9) -> list[float]:
    """Zipf-like weights by list position: the first names are the most popular."""
    return [1.0 / (rank + 1) ** exponent for rank in range(len(names))]
