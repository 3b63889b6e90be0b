"""Fill the Simplified Chinese catalogue from the table below and compile it.

    python scripts/translations_zh.py   # after `sojourn makemessages -l zh_Hans`

Entries not in the table keep what they have; fuzzy guesses from makemessages are replaced
or dropped, never shipped. The table is the single place our Chinese wording lives.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "src" / "sojourn" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"

ZH = {
    # roles and navigation
    "registrar": "登记员", "approver": "审批人", "inspector": "纪检监察员", "checkpoint": "口岸设备",
    "auditor": "审计员", "admin": "管理员", "Sojourn": "出入境监督", "Log out": "退出", "Overview": "概览",
    "Units": "单位", "Officials": "干部", "Findings": "预警发现", "Import": "导入", "Audit trail": "审计日志",
    "Documents": "证照", "English": "英文", "Simplified Chinese": "简体中文",
    # login
    "Account locked": "账户已锁定", "Log in": "登录", "User name": "用户名", "Password": "密码",
    "Too many failed login attempts. Try again later or ask an administrator.": "登录失败次数过多。请稍后再试或联系管理员。",
    "Your user name and password did not match. Please try again.": "用户名或密码不正确，请重试。",
    # findings
    "Severity": "严重程度", "Rule": "规则", "Unit": "单位", "Status": "状态", "new": "新", "acknowledged": "已确认收到",
    "assigned": "已分派", "dismissed": "已排除", "confirmed": "已核实", "escalated": "已立案", "info": "提示", "low": "低",
    "medium": "中", "high": "高", "critical": "严重", "Official": "干部", "Finding": "发现", "Raised": "提出时间",
    "No findings.": "暂无发现。", "Basis": "依据", "Evidence": "证据", "Ruleset": "规则集版本", "Triage": "处理",
    "Acknowledge": "确认收到", "Dismiss as false positive": "作为误报排除", "Filter": "筛选",
    "Reason (why this is a false positive)": "理由（为何属于误报）",
    "Findings are flags for a person to review, never verdicts.": "预警发现仅供人工核查，不是结论。",
    "Previous": "上一页", "Next": "下一页", "Page %(n)s of %(total)s": "第 %(n)s 页，共 %(total)s 页", "Page %(n)s": "第 %(n)s 页",
    "Finding acknowledged.": "已确认收到该发现。", "Finding dismissed.": "已排除该发现。",
    "Latest open findings": "最新待处理发现", "officials in your scope": "范围内干部", "open findings": "待处理发现",
    # audit
    "Actor": "操作人", "Action": "操作", "Time": "时间", "Object": "对象", "Hash": "哈希", "No events.": "暂无记录。",
    # registry
    "units": "单位", "officials": "干部", "relatives": "亲属", "post changes": "职务变动", "documents": "证照",
    "Name, ID or official ID": "姓名、身份证号或干部编号", "Rank": "职级", "Kind": "类别", "CSV or XLSX file": "CSV 或 XLSX 文件",
    "Validate only": "仅校验", "unit code": "单位代码", "name": "名称", "region": "地区", "national": "国家级",
    "ministerial": "省部级", "bureau": "厅局级", "division": "县处级", "section": "乡科级", "staff": "科员",
    "active": "在职", "retired": "退休", "under investigation": "被审查", "missing": "失联", "absconded": "外逃",
    "returned": "已归案", "deceased": "已故", "male": "男", "female": "女", "name (characters)": "姓名（汉字）",
    "surname": "姓", "given name": "名", "official ID": "干部编号", "birth date": "出生日期", "sex": "性别",
    "ID number": "身份证号", "rank": "职级", "post": "职务", "restricted post": "涉密或重要岗位", "covered since": "纳入管理日期",
    "filed with exit-entry administration": "出入境备案日期", "status": "状态", "started on": "任职日期", "filed on": "备案日期",
    "spouse": "配偶", "child": "子女", "parent": "父母", "sibling": "兄弟姐妹", "child's spouse": "子女配偶", "citizen": "入籍",
    "permanent resident": "永久居留", "long-term resident": "长期居留", "resident": "居留", "none": "无", "business": "经商",
    "study": "留学", "work": "工作", "relative ID": "亲属编号", "relationship": "关系", "nationality": "国籍",
    "residence country": "居住国", "residence status": "居留状态", "abroad since": "出国日期", "emigrated on": "移居日期",
    "activity": "从业情况", "married to a foreigner": "与外国人通婚", "Official ID": "干部编号", "Name": "姓名", "Post": "职务",
    "No officials found.": "未找到干部。", "Import registry file": "导入登记文件",
    "A file with any bad row changes nothing. Rows outside your units are refused.": "文件中只要有一行错误，就不写入任何内容。超出本单位范围的行将被拒绝。",
    "Imported": "已导入", "Nothing was written": "未写入任何内容", "validation only": "仅校验",
    "%(rows)s rows: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.": "共 %(rows)s 行：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s。",
    "Birth date": "出生日期", "Sex": "性别", "Covered since": "纳入管理日期", "Filed with exit-entry administration": "出入境备案日期",
    "not filed": "未备案", "Posts": "职务", "Started on": "任职日期", "Filed on": "备案日期", "No post changes recorded.": "无职务变动记录。",
    "Relatives": "亲属", "Your role does not give access to relatives' records.": "您的角色无权查看亲属信息。",
    "Relationship": "关系", "Nationality": "国籍", "Residence": "居住地", "Residence status": "居留状态", "Abroad since": "出国日期",
    "No relatives recorded.": "无亲属记录。", "Search": "查询", "Relative ID": "亲属编号", "Residence country": "居住国",
    "Emigrated on": "移居日期", "Activity": "从业情况", "Married to a foreigner": "与外国人通婚", "Code": "代码", "Region": "地区",
    "No units in your scope.": "您的范围内没有单位。", "No documents recorded.": "无证照记录。",
    # documents and the desk
    "MRZ (paste both lines)": "机读码（粘贴两行）", "Document type": "证件类型", "Issuer": "签发国", "Number": "证件号码",
    "Issue date": "签发日期", "Expiry date": "有效期至", "Take in despite the problems shown": "尽管存在上述问题仍予收存",
    "Give the MRZ or the document number.": "请填写机读码或证件号码。", "Due back": "应交回日期", "Approved trip": "已批准的出行",
    "Purpose": "事由", "private": "因私", "official": "因公", "How and where it was lost": "遗失经过及地点",
    "Cancelled by whom, and why": "注销机关及原因", "New number": "新证件号码", "New MRZ": "新机读码", "Custody": "保管状态",
    "Number, official ID or name": "证件号码、干部编号或姓名", "Overdue only": "仅显示逾期",
    "ordinary passport": "普通护照", "official passport": "公务护照", "service passport": "公务普通护照",
    "diplomatic passport": "外交护照", "exit-entry permit to Hong Kong and Macau": "往来港澳通行证",
    "exit-entry permit to Taiwan": "往来台湾通行证", "identity card": "居民身份证", "valid": "有效", "cancelled": "已注销",
    "lost": "已遗失", "expired": "已过期", "in custody": "集中保管", "checked out": "已领用", "not handed in": "未上交",
    "not held": "未持有", "document type": "证件类型", "issuer": "签发国", "number": "证件号码", "issue date": "签发日期",
    "expiry date": "有效期至", "MRZ": "机读码", "custody": "保管状态", "due back": "应交回日期", "handed in": "上交",
    "returned to custody": "交回", "reported lost": "报失", "renewed": "换发", "date": "日期", "trip": "出行",
    "trip purpose": "出行事由", "note": "备注", "The document checks out": "证件校验通过",
    "The document check found problems": "证件校验发现问题", "Document desk": "证照管理", "Take in a document": "收存证件",
    "Paste the machine-readable zone, or type the number; the document is checked before it is taken in.": "粘贴机读码或输入证件号码；收存前将先校验证件。",
    "Check and take in": "校验并收存", "Holder": "持证人", "Document": "证件", "Desk": "证照管理操作", "Check out": "领用",
    "Record return": "登记交回", "Report lost": "报失", "Record renewal": "登记换发", "Record cancellation": "登记注销",
    "Custody history": "保管记录", "Date": "日期", "Event": "事项", "Trip": "出行", "By": "经办人", "Note": "备注",
    "No custody events.": "无保管记录。", "No documents.": "无证件。", "overdue": "逾期未交回", "due back ": "应交回",
    "Document taken into custody.": "证件已收存。", "Document checked out.": "证件已领用。", "Give the due date.": "请填写应交回日期。",
    "Document returned to custody.": "证件已交回。", "Give the new number and its issue date.": "请填写新证件号码及签发日期。",
    "Renewal recorded; hand the new document in within 7 days.": "已登记换发；新证件须在 7 日内上交。",
    "Loss recorded.": "已登记遗失。", "Cancellation recorded.": "已登记注销。", "No official with this ID in your units.": "本单位范围内没有此编号的干部。",
    "checkout": "领用",
    # screening and match review
    "Verdict": "结论", "Reason": "理由", "Rejection expires on (optional)": "排除有效期至（可选）",
    "A rejection needs a reason.": "排除须说明理由。", "hold": "扣留", "refer": "移交核查", "notify": "通报",
    "entry id": "条目编号", "aliases": "别名", "reason": "理由", "rejected": "已排除", "person": "人员", "list": "名单",
    "verdict": "结论", "Match review": "比中复核",
    "Possible matches of officials and relatives on watch lists. Confirm a match, or reject it with a reason; a rejected pair is not raised again for the same data until the rejection expires.": "干部及其亲属在名单上的疑似比中。请确认比中，或说明理由予以排除；被排除的同一组数据在排除到期前不再提示。",
    "Possible match": "疑似比中", "score": "得分", "Person in the registry": "登记人员", "List entry": "名单条目",
    "ID": "编号", "Name (Latin)": "姓名（拉丁字母）", "Confirm match": "确认比中", "Reject (not the same person)": "排除（非同一人）",
    "No open possible matches.": "暂无待复核的疑似比中。", "description": "说明", "document numbers": "证件号码",
    "action": "处置", "valid from": "生效日期", "valid to": "失效日期", "expires on": "到期日期", "actor": "操作人",
    "at": "时间", "Name (characters)": "姓名（汉字）", "Listed for": "列入原因", "Judgement recorded.": "已记录复核结论。",
    "Registrars and approvers see this unit and the units below it; an inspector's commission covers the same subtree (none: the whole registry).": "登记员和审批人可查看本单位及下属单位；纪检监察员按其监督范围查看同一子树（未设单位：全部）。",
    # reports: non-returns, overdue board, the holiday panel
    "Reports": "统计报表", "Report": "报表", "What it shows": "内容", "Non-returns": "出境未归统计", "Overdue board": "逾期未归名单",
    "As of": "统计截止日期", "Left from": "出境日期自", "Left until": "出境日期至", "Group by": "分组依据", "Show": "显示",
    "The window starts after it ends.": "起始日期晚于结束日期。", "Total": "合计", "Unknown format.": "未知格式。",
    "Bad report parameters.": "报表参数有误。", "group": "分组", "unit": "单位", "destination": "目的地", "port": "口岸",
    "travelled": "出境人次", "returned on time": "按期返回", "returned late": "逾期返回", "abroad, not yet due": "在外（未到期）",
    "overdue, not back": "逾期未归", "unapproved exit": "未经批准出境", "unapproved": "未经批准", "on time": "按期返回",
    "late": "逾期返回", "Back on": "返回日期", "Left on": "出境日期", "Back to the report": "返回报表", "Chart": "图表",
    "Counts cover the officials of your units only.": "统计范围仅限本单位及下属单位的干部。", "Days overdue": "逾期天数",
    "Destination": "目的地", "Download": "下载", "Port": "口岸", "Full non-returns report": "完整的出境未归统计",
    "No exits in this window.": "该期间内无出境记录。", "No journeys.": "无出境记录。",
    "Non-returns by group, stacked by status": "按分组统计的出境未归情况（按状态堆叠）",
    "Officials who left in a window: back on time, back late, still abroad, overdue, missing, or left without an approved trip.": "某期间内出境的干部：按期返回、逾期返回、仍在外、逾期未归、失联或未经批准出境。",
    "Everyone still abroad past the approved return date, the longest overdue first.": "超过批准返回日期仍在境外的人员，逾期最久者在前。",
    "Officials who left in the window, and whether they came back by the approved return date. Each number opens the journeys behind it.": "该期间内出境的干部及其是否在批准日期前返回。点击数字可查看对应的出境记录。",
    "Exits from %(start)s to %(end)s, judged as of %(as_of)s. Days of grace after the due date: %(grace)s; missing after %(missing)s days.": "统计 %(start)s 至 %(end)s 期间的出境，截至 %(as_of)s。应返回日期后宽限 %(grace)s 天；超过 %(missing)s 天为失联。",
    "Exits from %(start)s to %(end)s, judged as of %(as_of)s.": "统计 %(start)s 至 %(end)s 期间的出境，截至 %(as_of)s。",
    "Returns from the holiday (%(start)s to %(end)s)": "假期出境返回情况（%(start)s 至 %(end)s）",
    "Still abroad as of %(as_of)s more than %(grace)s days after the approved return date, the oldest due date first; missing after %(missing)s days.": "截至 %(as_of)s 超过批准返回日期 %(grace)s 天仍在境外的人员，按应返回日期由早到晚排列；超过 %(missing)s 天为失联。",
    # trips: requests, the approval queue, decisions and holds
    "expires": "有效期至",
    "Destinations (ISO codes, separated by ;)": "目的地（ISO 代码，以 ; 分隔）",
    "Departure": "出发日期",
    "Return": "返回日期",
    "purpose": "事由",
    "destinations": "目的地",
    "departure": "出发日期",
    "return": "返回日期",
    "pending": "待审批",
    "on hold": "已暂停",
    "approved": "已批准",
    "withdrawn": "已撤回",
    "hold reason": "暂停原因",
    "Request submitted and put on hold: the official is on a list.": "申请已提交，但因该干部在名单上已自动暂停。",
    "Request submitted.": "申请已提交。",
    "Trip approved; the documents are checked out.": "出行已批准；证件已领用。",
    "Trip rejected.": "出行申请已驳回。",
    "Request withdrawn.": "申请已撤回。",
    "Hold lifted; the request awaits a decision.": "已解除暂停；申请等待审批。",
    "Hold confirmed; the request is rejected.": "已确认暂停；申请被驳回。",
    "Trips": "出行",
    "Approval queue": "待审批",
    "Request a trip": "申请出行",
    "Destinations": "目的地",
    "No trips.": "无出行记录。",
    "One request per trip, with its fixed itinerary. The documents are checked and the official is screened against the lists when the request is submitted.": "一次出行一份申请，行程固定。提交申请时将校验证件，并将该干部与名单比对。",
    "Choose": "选择",
    "This official has no documents recorded.": "该干部无证件记录。",
    "Submit the request": "提交申请",
    "Screening": "名单比对",
    "The rules raised nothing.": "规则未发现问题。",
    "No rule outcome recorded (imported history).": "无规则结论记录（导入的历史数据）。",
    "Pending requests and requests on hold, oldest first, with what the rules said when each was submitted.": "待审批及已暂停的申请，按提交先后排列，并附提交时的规则结论。",
    "Dates": "日期",
    "What the rules say": "规则结论",
    "No requests await a decision.": "暂无待审批的申请。",
    "Hold reason": "暂停原因",
    "Submitted": "提交",
    "Decided": "审批",
    "At the decision": "审批时",
    "ruleset": "规则集版本",
    "Decision": "审批",
    "Approve": "批准",
    "Reject": "驳回",
    "Lift the hold": "解除暂停",
    "Confirm the hold (reject)": "确认暂停（驳回）",
    "Withdraw the request": "撤回申请",
    "Crossings": "出入境记录",
    "Direction": "方向",
    "Country": "国家或地区",
    "No crossings matched to this trip.": "无与此次出行匹配的出入境记录。",
    "Journeys": "行程",
    # naked-officials report and duties
    "Naked officials": "裸官",
    "naked officials": "裸官",
    "in a restricted post": "在重要岗位",
    "moved since": "已调整岗位",
    "Naked officials by group": "各组裸官人数",
    "Restricted post": "重要岗位",
    "yes": "是",
    "no": "否",
    "No officials.": "无干部。",
    "No officials in your units.": "本单位范围内无干部。",
    "Officials whose spouse has emigrated, or who have no spouse and whose children have all emigrated (a foreign nationality, or permanent or long-term residence abroad). This is a status that the 2014 measures on posts act on, not a violation. Each number opens the officials behind it.": "配偶已移居国（境）外，或没有配偶、子女均已移居国（境）外的干部（取得外国国籍，或获得国（境）外永久居留权、长期居留许可）。这是2014年岗位管理办法据以采取措施的一种状态，不是违规。点击各数字可查看对应干部。",
    "In a restricted post: the official's post is flagged restricted. Moved since: the official took up a new post after the family emigrated (after the latest emigration date of the relatives concerned).": "在重要岗位：该干部的职务标记为重要岗位。已调整岗位：家属移居后（相关亲属中最晚的移居日期之后）该干部担任了新职务。",
    "Officials whose spouse, or all of whose children, have emigrated, by unit or rank: how many hold restricted posts and how many were moved since.": "配偶或全部子女已移居国（境）外的干部，按单位或职级统计：多少人在重要岗位，多少人已调整岗位。",
    "countries": "国家或地区", "since": "起始日期", "duty countries": "职责涉及的国家或地区",
    "countries of duties": "职责涉及的国家或地区",
    # families-abroad and findings reports
    "Families abroad": "家属在国（境）外情况", "all relatives abroad": "全部在国（境）外家属",
    "relatives of senior officials": "高级干部的家属", "in business abroad": "在国（境）外经商",
    "studying abroad": "在国（境）外留学", "people": "人数", "cases": "户数",
    "foreign assets (yuan)": "境外资产（元）", "assets in other currencies": "外币资产（笔）",
    "period of emigration": "移居时期", "category": "类别", "rule": "规则",
    "severity": "严重程度", "month raised": "提出月份", "findings": "发现数", "open": "未结", "resolved": "已解除",
    "Findings report": "预警发现统计", "Relatives abroad by group, people and cases": "按组统计的在国（境）外家属人数和户数",
    "Findings by group and outcome": "按组和处理结果统计的预警发现",
    "No relatives abroad.": "无在国（境）外家属。", "(no unit)": "（无单位）", "Relative": "亲属",
    "Spouses and children of officials who live abroad (any residence status, students included), as people and as cases: a case is one official's relatives in one destination group.": "干部在国（境）外居住的配偶和子女（任何居留身份，含留学人员），按人数和户数统计：一户指一名干部在同一目的地组的家属。",
    "Spouses and children of officials living abroad, as people and cases, by destination, period of emigration or category, with their foreign assets.": "干部在国（境）外的配偶和子女，按目的地、移居时期或类别统计人数和户数，并列出其境外资产。",
    "Findings by rule, severity, unit or month raised, open and closed, with the monthly trend.": "按规则、严重程度、单位或提出月份统计的预警发现，含未结与已结，以及按月趋势。",
    "Findings of your units by rule, severity, unit or month raised, and what became of them. Each number opens the findings behind it.": "本单位范围内按规则、严重程度、单位或提出月份统计的预警发现及其处理结果。点击各数字可查看对应发现。",
    # declarations
    'Declarations': '个人有关事项报告',
    'Declaration': '报告',
    'Enter a declaration': '填报个人有关事项',
    'Sample and verification': '抽查核实',
    'Year': '年度',
    'Version': '版本',
    'Submitted on': '提交日期',
    'No declarations.': '暂无报告。',
    'annual report': '年度报告',
    'reportable event': '需报告事项',
    'draft': '草稿',
    'submitted': '已提交',
    'entered on the web': '网上填报',
    'imported': '导入',
    'entered through the API': '接口填报',
    'Draft': '草稿',
    'One row per declared item. Once submitted, a declaration is never changed: a correction is a new version.': '每行填报一项。报告提交后不得更改，更正须另行提交新版本。',
    'Save the draft': '保存草稿',
    'Submit': '提交',
    'Item': '事项',
    'Document number': '证件号码',
    'From': '起',
    'To': '止',
    'Area (m²)': '面积（平方米）',
    'Amount': '金额',
    'Currency': '币种',
    'Text': '说明',
    'Choose the item.': '请选择事项。',
    'Share drawn at random': '随机抽取比例',
    'Seed (blank: a fresh one)': '随机种子（留空则新生成）',
    'Promotion candidates (official IDs)': '拟提拔人选（干部编号）',
    'Named in complaints (official IDs)': '被举报人员（干部编号）',
    'Outcome notes': '核实结论',
    'Class': '类别',
    'What the records show': '记录显示',
    'The declaration agrees with the records.': '报告与记录一致。',
    'Source': '来源',
    'Corrects': '更正',
    'Items': '事项',
    'No items.': '无事项。',
    'Edit the draft': '编辑草稿',
    'Enter a correction': '填报更正',
    'Verify against the records': '与记录比对核实',
    'Versions': '版本',
    'Verifications': '核实记录',
    'Verification': '核实',
    'Not verified yet.': '尚未核实。',
    "A reproducible random share of the year's reports (the seed and the drawn officials are written to the audit trail), plus officials under investigation, promotion candidates and officials named in complaints.": '按可复现的随机比例抽取当年报告（随机种子及抽中人员记入审计日志），另加被调查人员、拟提拔人选及被举报人员。',
    'Draw the sample and verify': '抽取并核实',
    'Seed': '随机种子',
    'No report to verify:': '无可核实的报告：',
    'Drawn': '抽取方式',
    'Run at': '核实时间',
    'No verifications yet.': '暂无核实记录。',
    'seed': '随机种子',
    'Run by': '核实人',
    'Signed off': '已审核签字',
    'Discrepancies': '不一致之处',
    'Sign-off': '审核签字',
    'Sign off': '审核签字',
    'Declaration submitted.': '报告已提交。',
    'Draft saved.': '草稿已保存。',
    'A submitted declaration cannot be changed; enter a correction.': '已提交的报告不得更改，请填报更正。',
    'Correction started: change the items and submit it.': '已开始更正：修改事项后提交。',
    'Sample drawn (seed %(seed)s) and %(n)s declarations verified.': '已抽取样本（随机种子 %(seed)s），核实报告 %(n)s 份。',
    'Verification signed off.': '核实已审核签字。',
    'random sample': '随机抽查',
    'promotion candidate': '拟提拔人选',
    'named in a complaint': '被举报',
    'completed': '已完成',
    'signed off': '已审核签字',
    'omission': '漏报',
    'concealment': '瞒报',
    'passport': '护照',
    'private trip abroad': '因私出国（境）',
    'Hong Kong and Macau permit': '往来港澳通行证',
    'Taiwan permit': '往来台湾通行证',
    'trip to Hong Kong, Macau or Taiwan': '往来港澳台',
    'child married to a foreigner': '子女与外国人、港澳台居民通婚',
    'emigration of a spouse or child': '配偶、子女移居国（境）外',
    'spouse or child abroad a year or more': '配偶、子女连续在国（境）外居住一年以上',
    "relative's job": '亲属从业情况',
    "relative's criminal case": '亲属被追究刑事责任',
    'real estate': '房产',
    'parking space': '车位',
    'securities': '股票、基金等证券',
    'business investment': '投资企业',
    'deposit abroad': '境外存款',
    'investment abroad': '境外投资',
    'income': '收入',
    'marriage': '婚姻',
    'deposit': '存款',
    'other': '其他',
    'property register': '不动产登记',
    'bank': '银行',
    'securities register': '证券登记',
    'business register': '企业登记',
    'spending': '支出',
    'held by relative': '亲属持有',
    'acquired on': '取得日期',
    'value': '价值',
    'asset': '资产',
    'year': '年度',
    'kind': '类别',
    'version': '版本',
    'corrects': '更正',
    'submitted on': '提交日期',
    'source': '来源',
    'item': '事项',
    'relative': '亲属',
    'country': '国家或地区',
    'document number': '证件号码',
    'from': '起',
    'to': '止',
    'area (m²)': '面积（平方米）',
    'amount': '金额',
    'currency': '币种',
    'text': '说明',
    'drawn': '抽取方式',
    'run by': '核实人',
    'run at': '核实时间',
    'signed off at': '审核签字时间',
    'outcome notes': '核实结论',
    'class': '类别',
    'evidence': '证据',
}


def entries(text: str) -> list[str]:
    return text.strip("\n").split("\n\n")


def msgid_of(block: str) -> str | None:
    match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
    if not match:
        return None
    return "".join(re.findall(r'"(.*)"', match.group(1))).encode().decode("unicode_escape").encode("latin1").decode()


def fill(block: str) -> str:
    key = msgid_of(block)
    if not key or "msgid_plural" in block:
        return block
    head = block.split("msgstr")[0]
    if key in ZH:
        head = head.replace("#, fuzzy, python-format", "#, python-format").replace("#, fuzzy\n", "")
        head = re.sub(r"^#\| .*\n", "", head, flags=re.M)
        return head + f'msgstr "{ZH[key]}"'
    if "#, fuzzy" in block:  # a guess by makemessages: better untranslated than wrong
        head = head.replace("#, fuzzy, python-format", "#, python-format").replace("#, fuzzy\n", "")
        return re.sub(r"^#\| .*\n", "", head, flags=re.M) + 'msgstr ""'
    return block


def main() -> int:
    blocks = entries(PO.read_text(encoding="utf-8"))
    header, rest = blocks[0], blocks[1:]
    header = re.sub(r'"Plural-Forms: .*\\n"', r'"Plural-Forms: nplurals=1; plural=0;\\n"', header)
    header = header.replace('"Language: \\n"', '"Language: zh_Hans\\n"').replace("#, fuzzy\n", "")
    out = "\n\n".join([header, *(fill(b) for b in rest)]) + "\n"
    PO.write_text(out, encoding="utf-8")
    missing = [msgid_of(b) for b in rest if 'msgstr ""' in b.splitlines()[-1] and msgid_of(b) not in ZH]
    if missing:
        print("untranslated:", missing, file=sys.stderr)
    subprocess.run(["msgfmt", "--check-format", "-o", str(PO.with_suffix(".mo")), str(PO)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
