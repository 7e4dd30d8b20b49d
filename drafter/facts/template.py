"""The commented template `drafter facts init` writes: Chinese comments, the project's example unit."""

TEMPLATE = """\
# drafter 事实文件：把本单位这一时期的实际情况写在这里。总结里的每个数字都要能在这里找到依据。
# 填写方法：冒号后面空一格；中文不用加引号；数字不加引号、不写单位；# 后面是说明，可以删掉。
# 写好后运行 `drafter facts validate 本文件` 检查格式，再用 `drafter check 总结.docx --facts 本文件` 核对总结。

# 本单位：name 全称，kind 类型（乡 / 镇 / 街道），以及所属的县、市、省（用于识别范文里的外地地名）
unit: {name: 青石镇, kind: 镇, county: 和平县, city: 云岭市, province: 云南省}

# 时段：year 年份；span 全年 / 上半年 / 下半年 / 第一季度 … / 前三季度
period: {year: 2025, span: 全年}

# 指标：每行一项。name 名称（总结里怎么说就怎么写，如 党课、中心组学习、公众号发布信息）；
# value 数值（阿拉伯数字）；unit 单位（次、场、人、篇、条、个、% …）；
# qualifier 限定词，可不写：余 / 多（200余人）、近（近百人）、约、以上（98%以上）、超过、不到；
# aliases 别名，可不写：总结里的其他说法，如 [参加人员]。
metrics:
  - {name: 意识形态工作专题会议, value: 3, unit: 次}
  - {name: 中心组学习出席率, value: 96, unit: "%", qualifier: 以上}
  - {name: 道德讲堂参加人员, value: 350, unit: 人, qualifier: 余, aliases: [参加人员]}

# 大事记：date 写 年-月 或 年-月-日；what 写做了什么。总结里出现的月份、日期要在这里有记录。
events:
  - {date: 2025-03, what: 举办群众文艺汇演}

# 亮点、问题、计划：每行一句话。这里写到的数字，总结里引用时也算有依据。
highlights:
  - 开通“青石发布”微信视频号
problems:
  - 网络宣传专业人才缺乏
plans:
  - 2026年建成镇级融媒体工作站
"""
