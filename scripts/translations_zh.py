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
