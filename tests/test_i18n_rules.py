"""The rules' refusals carry a message id and their values: the same refusal in English and in Chinese."""

import re

import pytest

from kiosk import (catalogue, claims, clocking, complaints, customers, delivery, followups, holding, i18n, jobs,
                   parts, reception, returns, warranty)
from kiosk.config import Settings
from kiosk.csvimport import ImportHasErrors
from kiosk.errors import Conflict, InvalidInput, NotAllowed, NotFound
from kiosk.reception import MileageBelowLast, OpenJobExists
from kiosk.store.models import JobCard, JobLine, WarrantyTag

from .conftest import add_employee
from .desk import customer_with_vehicle
from .factories import make_job_card, make_part, make_tag

TEN_BIN = Settings(terminal="parts-room")


@pytest.fixture
def bay(store_url, staff):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer"))
    return {"job": job, "number": f"RO{job.id:06d}", "lines": list(job.lines.order_by(JobLine.position)), **staff}


def said(language: str, call, error=Exception) -> str:
    with i18n.use_language(language):
        with pytest.raises(error) as caught:
            call()
        return caught.value.message


@pytest.mark.parametrize("language, expected", [
    ("en", ["RO12X is not a job-card number (like RO000123).", "Nothing is not a job-card number (like RO000123).",
            "There is no job card RO999999.", "That job line does not exist."]),
    ("zh_CN", ["RO12X 不是维修工单号（应如 RO000123）。", "空 不是维修工单号（应如 RO000123）。",
               "没有维修工单 RO999999。", "该作业行不存在。"]),
])
def test_job_card_numbers_and_lines_refused_in_both_languages(bay, language, expected):
    tech = bay["technician"]
    assert [said(language, lambda: jobs.parse_job_number("ro12x"), InvalidInput),
            said(language, lambda: jobs.parse_job_number("  "), InvalidInput),
            said(language, lambda: jobs.complete_job(tech, 999999), NotFound),
            said(language, lambda: clocking.clock_on(tech, 999999), NotFound)] == expected


def test_working_on_someone_elses_or_a_done_line_in_both_languages(bay):
    line, number = bay["lines"][0], bay["number"]
    other = add_employee("technician")
    assert said("en", lambda: clocking.clock_on(other, line.id), NotAllowed) == (
        f"Line 1 of {number} is assigned to someone else; ask an advisor to reassign it.")
    assert said("zh_CN", lambda: clocking.clock_on(other, line.id), NotAllowed) == (
        f"{number} 的第 1 行已派给别人；请服务顾问重新派工。")
    with pytest.raises(InvalidInput) as caught:
        jobs.complete_line(bay["technician"], line.id)
    with i18n.use_language("zh_CN"):
        assert caught.value.message == "请先填写第 1 行的故障原因和维修措施（三C）。"
    assert caught.value.message == "Write the cause and the correction of line 1 first (the three Cs)."
    JobLine.update(status="done").where(JobLine.id == line.id).execute()
    assert said("en", lambda: clocking.clock_on(bay["technician"], line.id), NotAllowed) == (
        f"Line 1 of {number} is done; ask an advisor to reopen it.")
    assert said("zh_CN", lambda: clocking.clock_on(bay["technician"], line.id), NotAllowed) == (
        f"{number} 的第 1 行已完工；请服务顾问重开。")


def test_clock_refusals_in_both_languages(bay):
    tech, line = bay["technician"], bay["lines"][0]
    assert said("en", lambda: clocking.clock_off(tech), InvalidInput) == "Your clock is not running."
    assert said("zh_CN", lambda: clocking.clock_off(tech), InvalidInput) == "您没有在计时。"
    clocking.clock_on(tech, line.id)
    english = said("en", lambda: clocking.clock_on(tech, line.id), Conflict)
    assert english.startswith(f"Your clock is already running on {bay['number']} line 1")
    assert said("zh_CN", lambda: clocking.clock_on(tech, line.id), Conflict).startswith("您已在计时：")
    assert said("en", lambda: jobs.complete_job(tech, bay["job"].id), NotAllowed).startswith("Line(s) ")
    assert said("zh_CN", lambda: jobs.complete_job(tech, bay["job"].id), NotAllowed).endswith("行尚未完工。")


@pytest.fixture
def stores(store_url, staff):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer", "internal"))
    make_part("VW000123", on_hand=5)
    return {"job": job, "number": f"RO{job.id:06d}", "lines": list(job.lines.order_by(JobLine.position)), **staff}


@pytest.mark.parametrize("language, expected", [
    ("en", ["Unknown part number NOPE-1: search the catalogue by words instead.",
            "Only 5 of VW000123 left (bin A-01); cannot issue 6.",
            "Line 1 of {number} holds 0 of VW000123; cannot return 2.",
            "Say what becomes of the old part on this customer line: customer keeps or scrap.",
            "On a customer line the old part is customer keeps or scrap, not a warranty part (to be tagged).",
            "On an internal line the old part is scrap, not customer keeps."]),
    ("zh_CN", ["未知零件号 NOPE-1：请改用文字搜索配件目录。",
               "VW000123 只剩 5 个（货位 A-01）；不能领料 6 个。",
               "{number} 的第 1 行只有 0 个 VW000123；不能退回 2 个。",
               "请说明这条客户付费行的旧件如何处理：客户带走或报废。",
               "客户付费行的旧件只能是客户带走或报废，不能是索赔件（待挂标签）。",
               "内部行的旧件只能是报废，不能是客户带走。"]),
])
def test_parts_refusals_in_both_languages(stores, language, expected):
    tech, (warranty, customer, internal) = stores["technician"], stores["lines"]
    calls = [lambda: parts.issue_part(tech, warranty.id, "nope-1", 1),
             lambda: parts.issue_part(tech, warranty.id, "VW000123", 6),
             lambda: parts.return_part(tech, warranty.id, "VW000123", 2, "unused"),
             lambda: parts.record_removed_part(tech, customer.id, "VW000123", 1, False),
             lambda: parts.record_removed_part(tech, customer.id, "VW000123", 1, False, "warranty"),
             lambda: parts.record_removed_part(tech, internal.id, "VW000123", 1, False, "customer_keeps")]
    assert [said(language, call) for call in calls] == [e.format(number=stores["number"]) for e in expected]


def test_a_bad_catalogue_line_names_its_line_and_the_reason_in_both_languages(stores):
    manager = stores["manager"]
    rows = [{"part_number": "VW9", "description": "Pad"}, {"part_number": "VW10", "description": "Pad",
                                                            "hazardous": "maybe"}]
    assert said("en", lambda: catalogue.load_catalogue(manager, rows), InvalidInput) == (
        "Catalogue line 2: Hazardous must be yes or no. Nothing was added.")
    assert said("zh_CN", lambda: catalogue.load_catalogue(manager, rows), InvalidInput) == (
        "配件目录第 2 行：危险品必须是“是”或“否”。什么都没有添加。")
    assert said("en", lambda: catalogue.find_part_by_scan(" \x07"), InvalidInput) == (
        "Scan a part barcode or type its number.")
    assert said("zh_CN", lambda: catalogue.find_part_by_scan("vw 404"), NotFound) == (
        "未知零件号 VW404：请改用文字搜索配件目录。")


@pytest.fixture
def tagging(store_url, staff, tmp_path):
    tech = staff["technician"]
    job = make_job_card(tech.employee_id, payers=("warranty", "customer"))
    line = list(job.lines.order_by(JobLine.position))[0]
    make_part("VW000123", "Water pump 水泵")
    make_part("VW000777", "Front brake pad set 前刹车片", wear_part=True)
    settings = Settings(terminal="bay-1", default_printer="labels",
                        printers={"labels": {"backend": "folder", "path": str(tmp_path / "labels"),
                                             "stock": "brother-62x29", "dpi": 300}})
    removed = {number: parts.record_removed_part(tech, line.id, number, 1, True) for number in ("VW000123", "VW000777")}
    return {"removed": removed, "settings": settings, **staff}


def test_warranty_warnings_and_refusals_in_both_languages(tagging):
    tech, removed, settings = tagging["technician"], tagging["removed"], tagging["settings"]
    with i18n.use_language("zh_CN"):
        assert warranty.check(removed["VW000777"], ("external",)).warnings == (
            "VW000777 是易损件：正常磨损（刹车片、皮带、火花塞、灯泡、轮胎）不在保修范围内。",
            "非保修范围：外部原因：石击、碰撞、化学或大气损伤。")
    assert warranty.check(removed["VW000777"]).warnings == (
        "VW000777 is a wear part: normal wear (pads, belts, plugs, bulbs, tyres) is not covered.",)
    assert said("en", lambda: warranty.tag_part(tech, removed["VW000777"], settings), NotAllowed) == (
        "Not covered by warranty as it stands: an advisor must sign an override with a reason.")
    assert said("zh_CN", lambda: warranty.tag_part(tech, removed["VW000777"], settings), NotAllowed) == (
        "按现状不在保修范围内：须由服务顾问签字并写明理由才能例外处理。")
    warranty.tag_part(tech, removed["VW000123"], settings)
    assert said("en", lambda: warranty.tag_part(tech, removed["VW000123"], settings), Conflict) == (
        "VW000123 on line 1 is already tagged.")
    assert said("zh_CN", lambda: warranty.tag_part(tech, removed["VW000123"], settings), Conflict) == (
        "第 1 行的 VW000123 已挂标签。")
    assert said("zh_CN", lambda: warranty.check(removed["VW000123"], ("rust",)), InvalidInput) == (
        "未知的除外情形 'rust'。")


@pytest.fixture
def room(store_url, staff):
    tech = staff["technician"].employee_id
    job = make_job_card(tech)
    make_part("VW000123")
    return {"job": job, "tags": [make_tag(job, tech) for _ in range(2)], **staff}


@pytest.mark.parametrize("scan, english, chinese", [
    ("W9999999", "Unknown tag W9999999: no part was tagged with this number here.",
     "未知标签 W9999999：本店没有旧件挂过这个编号的标签。"),
    ("VW000123", "VW000123 is a part-number barcode, not a warranty tag: scan the tag hanging on the part.",
     "VW000123 是零件号条码，不是索赔件标签：请扫描挂在旧件上的标签。"),
    ("RO000042", "RO000042 is a job-card barcode, not a warranty tag.", "RO000042 是维修工单条码，不是索赔件标签。"),
    ("\x1b\x00\x07\t", "Empty scan.", "扫描内容为空。"),
])
def test_scans_that_are_no_tag_in_both_languages(room, scan, english, chinese):
    clerk = room["parts_clerk"]
    assert said("en", lambda: holding.scan_in(clerk, scan, TEN_BIN)) == english
    assert said("zh_CN", lambda: holding.scan_in(clerk, scan, TEN_BIN)) == chinese


def test_a_held_tag_and_its_state_in_both_languages(room):
    clerk, tag = room["parts_clerk"], room["tags"][0]
    with i18n.use_language("zh_CN"):
        result = holding.scan_in(clerk, tag.tag_number, TEN_BIN)
        assert result.message.startswith(f"{tag.tag_number} 已入库，货位 BIN-")
        assert holding.scan_in(clerk, "LOC-A3", TEN_BIN).message == "货位 A3：接下来的旧件放在这里。"
    english = said("en", lambda: holding.scan_in(clerk, tag.tag_number, TEN_BIN), Conflict)
    assert english.startswith(f"{tag.tag_number} is already held at shelf BIN-") and english.endswith(
        f", by {clerk.name}.")
    chinese = said("zh_CN", lambda: holding.scan_in(clerk, tag.tag_number, TEN_BIN), Conflict)
    assert chinese.startswith(f"{tag.tag_number} 已于 ") and f"由 {clerk.name} 入库，货位 BIN-" in chinese
    WarrantyTag.update(status="shipped").where(WarrantyTag.id == tag.id).execute()
    assert said("en", lambda: holding.scan_in(clerk, tag.tag_number, TEN_BIN), Conflict) == (
        f"Tag {tag.tag_number} is shipped; it cannot be scanned in.")
    assert said("zh_CN", lambda: holding.scan_in(clerk, tag.tag_number, TEN_BIN), Conflict) == (
        f"标签 {tag.tag_number} 已发运；不能扫描入库。")


def test_what_stands_before_delivery_in_both_languages(bay):
    tech, advisor, number, line = bay["technician"], bay["advisor"], bay["number"], bay["lines"][0]
    clocking.clock_on(tech, line.id)
    english = said("en", lambda: delivery.deliver(advisor, bay["job"].id), NotAllowed)
    assert english.startswith(f"{number} cannot be delivered yet. {tech.name}'s clock is still running on line 1 "
                              "(clock off, or close the forgotten clock). Line(s) ")
    chinese = said("zh_CN", lambda: delivery.deliver(advisor, bay["job"].id), NotAllowed)
    assert chinese.startswith(f"{number} 还不能交车。{tech.name} 仍在第 1 行计时（请收工，或关闭忘记关的计时）。第 ")
    with i18n.use_language("zh_CN"):
        assert "本工单在施工中：作业尚未完成。" not in delivery.delivery_blockers(bay["job"].id)
        assert delivery.delivery_blockers(bay["job"].id)[0].startswith(f"{tech.name} 仍在第 1 行计时")
    assert said("zh_CN", lambda: delivery.quality_check(advisor, bay["job"].id, False, " "), InvalidInput) == (
        "请说明质检未通过的原因。")


def test_reception_warnings_in_both_languages(store_url, staff):
    advisor = staff["advisor"]
    customer_id, vehicle_id = customer_with_vehicle(advisor)
    assert said("zh_CN", lambda: reception.open_job(advisor, customer_id, vehicle_id, 41000, "noise"),
                MileageBelowLast) == ("里程 41,000 低于本车上次记录的 42,000。"
                                      "请检查里程表，或说明原因（更换过里程表、上次读数有误）。")
    first = reception.open_job(advisor, customer_id, vehicle_id, 42000, "noise")
    with pytest.raises(OpenJobExists) as warned:
        reception.open_job(advisor, customer_id, vehicle_id, 42100, "rattle")
    assert warned.value.message == (f"This vehicle already has an open job card: RO{first:06d} (a draft). "
                                    "Open another one anyway?")
    with i18n.use_language("zh_CN"):
        assert warned.value.message.startswith(f"本车已有未结的维修工单：RO{first:06d}（") and "（a draft）" not in (
            warned.value.message)


@pytest.mark.parametrize("language, expected", [
    ("en", ["Mileage is the odometer reading without tenths: a whole number, like 42000.",
            "Mileage 10,000,000 is more than any odometer shows; check it.",
            "Phone '12x': digits, spaces and + - ( ) only.", "That customer is not on file."]),
    ("zh_CN", ["里程是不带小数的里程表读数：应为整数，如 42000。", "里程 10,000,000 超出任何里程表的显示范围；请核对。",
               "电话 '12x'：只能使用数字、空格和 + - ( )。", "没有该客户的档案。"]),
])
def test_customer_and_vehicle_refusals_in_both_languages(store_url, staff, language, expected):
    advisor = staff["advisor"]
    calls = [lambda: customers.parse_mileage("42000.5"), lambda: customers.parse_mileage(10_000_000),
             lambda: customers.create_customer(advisor, "王小明", "12x"),
             lambda: customers.create_vehicle(advisor, 999999, "1M8GDM9AXKP042788", check_required=True)]
    assert [said(language, call) for call in calls] == expected


def test_a_card_in_the_wrong_state_says_so_in_both_languages(bay):
    advisor, number, job_id = bay["advisor"], bay["number"], bay["job"].id
    assert said("en", lambda: delivery.quality_check(advisor, job_id, True), NotAllowed) == (
        f"Job card {number} is approved; the quality check comes when the work is done.")
    assert said("zh_CN", lambda: delivery.quality_check(advisor, job_id, True), NotAllowed) == (
        f"维修工单 {number} 已确认；作业完成后才能质检。")
    JobCard.update(status="cancelled").where(JobCard.id == job_id).execute()
    assert said("zh_CN", lambda: delivery.quality_check(advisor, job_id, True), NotAllowed) == (
        f"维修工单 {number} 已取消，不能再改。请添加备注，或新开一张工单。")


def test_complaints_and_follow_ups_refused_in_both_languages(store_url, staff):
    advisor = staff["advisor"]
    assert said("en", lambda: complaints.complaint_view(999999), NotFound) == "That complaint does not exist."
    assert said("zh_CN", lambda: complaints.complaint_view(999999), NotFound) == "该投诉不存在。"
    assert said("en", lambda: followups.record_followup(advisor, 999999, "maybe"), InvalidInput) == (
        "Outcome must be one of: satisfied, problem, complaint, no_answer.")
    assert said("zh_CN", lambda: followups.record_followup(advisor, 999999, "satisfied"), NotFound) == "该回访不存在。"
    assert said("zh_CN", lambda: followups.add_customer_note(advisor, 999999, "hello"), NotFound) == (
        "没有该客户的档案。")


def test_a_role_refused_an_action_in_both_languages(bay):
    line = bay["lines"][0]
    assert said("en", lambda: clocking.clock_on(bay["advisor"], line.id), NotAllowed) == (
        "A service advisor may not do this (clock.on_off); ask an advisor or manager.")
    assert said("zh_CN", lambda: clocking.clock_on(bay["advisor"], line.id), NotAllowed) == (
        "服务顾问无权执行此操作（clock.on_off）；请找服务顾问或经理。")


def test_return_requests_refused_in_both_languages(store_url, staff):
    assert said("en", lambda: returns.request_item("repair_order", "ROX1")) == "'ROX1' is not a repair-order number."
    assert said("zh_CN", lambda: returns.request_item("repair_order", "ROX1")) == "'ROX1' 不是维修工单号。"
    assert said("zh_CN", lambda: returns.request_item("tag", " ")) == "申请返还的件需要标签号、维修工单号或零件号。"
    clerk = staff["parts_clerk"]
    assert said("en", lambda: returns.pack(clerk, 999999, "W0000001"), NotFound) == "Unknown box 999999."
    assert said("zh_CN", lambda: returns.pack(clerk, 999999, "W0000001"), NotFound) == "未知的箱 999999。"


# --- claims, readiness, labels, employees, stock counts, CSV imports --------------------------------------------

_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(text: str, values=()) -> list[str]:
    """The English words of a text once its values (tag, part and job-card numbers, the file's own words) are
    taken out: none, in a text said in Chinese."""
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, " ")
    return _ENGLISH_WORD.findall(re.sub(r"\b(?:RO\d{6}|F\d{1,2})\b", " ", text))


def test_claims_refused_in_both_languages(room):
    clerk, tag = room["parts_clerk"], room["tags"][0]
    bad = claims.Claim(tag.tag_number, "C-1", "maybe")
    assert said("en", lambda: claims.record_claim(clerk, bad, TEN_BIN), InvalidInput) == (
        "Claim status must be one of submitted, accepted, paid, rejected, debited, not 'maybe'.")
    assert said("zh_CN", lambda: claims.record_claim(clerk, bad, TEN_BIN), InvalidInput) == (
        "索赔状态必须是 submitted, accepted, paid, rejected, debited 之一，而不是 'maybe'。")
    unpaid = claims.Claim(tag.tag_number, "C-1", "paid")
    assert said("zh_CN", lambda: claims.record_claim(clerk, unpaid, TEN_BIN), InvalidInput) == (
        "已付款的索赔需要付款日期（paid_on）。")
    holding.scan_in(clerk, tag.tag_number, TEN_BIN)
    assert said("en", lambda: claims.scrap(clerk, tag.tag_number, "REL-1"), Conflict) == (
        f"Tag {tag.tag_number} must be kept until {tag.keep_until}; it cannot be scrapped yet.")
    assert said("zh_CN", lambda: claims.scrap(clerk, tag.tag_number, "REL-1"), Conflict) == (
        f"标签 {tag.tag_number} 须保管至 {tag.keep_until}；现在还不能报废。")
    assert said("zh_CN", lambda: claims.scrap(clerk, tag.tag_number, " \x00"), InvalidInput) == "放行编号必须填写。"


def test_a_claims_files_bad_lines_come_out_in_chinese_with_no_english_left(room):
    clerk, (first, second) = room["parts_clerk"], [t.tag_number for t in room["tags"]]
    claims.import_claims(clerk, f"tag_number,claim_number,claim_status\n{second},C-9,submitted\n", TEN_BIN)
    lines = [f"{first},C-1,submitted,,", f"{first},C-1,submitted,,",  # 2, 3: the same claim twice
             "W9999999,C-2,submitted,,", f"{second},C-3,submitted,,", f"{second},C-9,maybe,,",
             f"{first},C-4,paid,,", f"{first},C-5,paid,2026-13-01,", f"{first},C-6,submitted,,¥12",
             f'{first},C-7,submitted,,"12,50"', f"{first},C\x07,submitted,,", f"{first},=1+1,submitted,,",
             f"{first},C-8,submitted,,,,"]
    text = "tag_number,claim_number,claim_status,paid_on,amount\n" + "\n".join(lines) + "\n"
    with i18n.use_language("zh_CN"):
        with pytest.raises(ImportHasErrors) as caught:
            claims.import_claims(clerk, text, TEN_BIN)
    problems = dict(caught.value.report.bad)
    assert problems[3] == f"标签 {first} 与第 2 行的索赔相同（重复）"
    assert problems[4] == "未知标签 W9999999"
    assert problems[5] == f"标签 {second} 已在索赔 C-9 上；本行写的是 C-3"
    assert problems[9] == "金额 '¥12'：只写数字，不要带货币符号。"
    assert problems[10] == "金额 '12,50'：请用小数点，写成 12.50，不要用逗号。"
    assert problems[11] == "claim_number 含有控制字符（U+0007）"
    assert problems[13].startswith("有 7 个字段，但表头只有 5 列")
    values = [first, second, "W9999999", "tag_number", "claim_number", "claim_status", "paid_on", "maybe",
              *claims.CLAIM_STATUSES, *(f"C-{n}" for n in range(10))]
    assert sorted(problems) == list(range(3, 14))
    assert {n: english_left(p, values) for n, p in problems.items()} == {n: [] for n in problems}, problems
    with i18n.use_language("zh_CN"):
        whole = caught.value.message
    assert whole.startswith("什么都没有导入。正确 1 行，错误 11 行：第 3 行：标签 ") and whole.endswith("；另有 6 行。")
    assert english_left(whole, values) == []
    assert caught.value.message.startswith("Nothing imported. 1 good line(s), 11 bad line(s): line 3: ")


def test_a_readiness_problem_list_comes_out_in_chinese_with_no_english_left(store_url, staff):
    from kiosk import readiness
    from tests.desk import open_card

    advisor, tech = staff["advisor"], staff["technician"]
    job_id = open_card(advisor, None, payers=("warranty",))
    line_id = JobLine.get(JobLine.job == job_id).id
    tag = WarrantyTag.create(job=job_id, job_line=line_id, status="tagged", part_number="VW000123", vin="X",
                             technician=tech.employee_id, tag_number="W7777777", approval="needed")
    found = readiness.claim(tag.id)
    with i18n.use_language("zh_CN"):
        state, texts, whole = found.state, [str(p) for p in found.problems], found.problem_text
    assert state == "10 个问题" and found.state == "10 problems"
    assert texts[0] == f"第 1 行没有故障原因。技师：在 {jobs.job_number(job_id)} 上按 F5（我的工单）。"
    assert texts[-1].endswith(f"尚未交车结单。服务顾问：障碍排除后，在 {jobs.job_number(job_id)} 上按 F8（看板：输入 "
                              f"{jobs.job_number(job_id)}）。")
    assert "第 1 行没有客户确认记录。服务顾问：在 RO" in whole and "W7777777 从未扫描入索赔件仓库。配件员：" in whole
    assert [english_left(t, ["W7777777", "VW000123"]) for t in texts] == [[]] * 10, texts
    assert "。 " not in whole  # one problem after another, with no space after a Chinese full stop
    english = [str(p) for p in found.problems]
    assert english[0].startswith("Line 1 has no cause. Technician: F5 on RO") and "Parts clerk: scan the tag" in (
        found.problem_text)


def test_labels_refused_and_printed_in_both_languages(room, tmp_path):
    from kiosk import labelqueue

    clerk, tag = room["parts_clerk"], room["tags"][0]
    settings = Settings(terminal="bay-1", printers={"labels": {"backend": "folder", "path": str(tmp_path)}},
                        default_printer="labels")
    assert said("en", lambda: labelqueue.reprint(clerk, tag.tag_number, settings, "nope"), InvalidInput) == (
        "No printer named 'nope' in the settings; printers: labels.")
    assert said("zh_CN", lambda: labelqueue.reprint(clerk, tag.tag_number, settings, "nope"), InvalidInput) == (
        "设置中没有名为 'nope' 的打印机；已有打印机：labels。")
    with i18n.use_language("zh_CN"):
        labelqueue.reprint(clerk, tag.tag_number, settings)
        [(number, printed, message)] = labelqueue.process(settings)
    assert printed and message.startswith(f"标签 {number} 已打印（")
    WarrantyTag.update(status="void").where(WarrantyTag.id == tag.id).execute()
    assert said("en", lambda: labelqueue.reprint(clerk, tag.tag_number, settings), InvalidInput) == (
        f"Tag {tag.tag_number} is void; its label is not printed again.")
    assert said("zh_CN", lambda: labelqueue.reprint(clerk, tag.tag_number, settings), InvalidInput) == (
        f"标签 {tag.tag_number} 已作废；不再重打其标签。")


def test_employees_refused_in_both_languages(store_url, staff):
    from kiosk import employees
    from kiosk.store.models import Employee

    manager = staff["manager"]
    badge = Employee.get_by_id(staff["technician"].employee_id).badge
    assert said("en", lambda: employees.by_badge("nobody-1"), NotFound) == "Nobody has badge NOBODY-1."
    assert said("zh_CN", lambda: employees.by_badge("nobody-1"), NotFound) == "没有人使用工牌 NOBODY-1。"
    assert said("en", lambda: employees.unlock_badge(manager, badge), NotAllowed) == (
        f"Badge {badge} is not locked: there is nothing to unlock.")
    assert said("zh_CN", lambda: employees.unlock_badge(manager, badge), NotAllowed) == (
        f"工牌 {badge} 未锁定，无需解锁。")
    assert said("zh_CN", lambda: employees.add_employee(manager, badge, "王", "technician", "1234"), InvalidInput) == (
        f"工牌 {badge} 已登记。")
    assert said("zh_CN", lambda: employees.add_employee(manager, "T77", "王", "boss", "1234"), InvalidInput) == (
        "岗位必须是以下之一：technician, parts_clerk, advisor, manager。")


def test_a_stock_count_in_both_languages(store_url, staff):
    from kiosk import stockcount

    from .factories import make_bin_a01

    make_bin_a01()
    manager = staff["manager"]
    assert said("en", lambda: stockcount.start_count(manager, "Z-9"), NotFound) == (
        "No part in the catalogue has bin Z-9; check the bin's label.")
    assert said("zh_CN", lambda: stockcount.start_count(manager, "Z-9"), NotFound) == (
        "配件目录中没有货位为 Z-9 的零件；请核对货位标签。")
    count = stockcount.start_count(manager, "A-01")
    assert said("zh_CN", lambda: stockcount.count_scan(count, "BOSCH-1"), InvalidInput) == (
        "BOSCH-1 的货位是 B-07，不是 A-01：不在这里盘点；请放回它自己的货位。")
    assert said("zh_CN", lambda: stockcount.set_counted(count, "VW000123", "-1"), InvalidInput) == (
        "盘点数至少为 0（输入的是 -1）。")
    stockcount.set_counted(count, "VW000123", "9")
    result = stockcount.post_count(manager, count, "盘点 count")
    with i18n.use_language("zh_CN"):
        assert result.message == "货位 A-01 已盘点：已过账 2 笔调整（9912345678 -4, VW000123 -1）。"
    assert result.message == "Bin A-01 counted: 2 correction(s) posted (9912345678 -4, VW000123 -1)."
    assert said("zh_CN", lambda: stockcount.count_scan(count, "VW000123"), NotAllowed) == (
        "货位 A-01 的盘点已过账；请重新开始盘点。")


def test_a_csv_files_faults_and_a_price_files_summary_in_both_languages(store_url, staff, tmp_path):
    from kiosk import catalogue_import, csvimport

    assert said("en", lambda: csvimport.encoding_name("latin1"), InvalidInput) == (
        "Unknown encoding 'latin1': use utf-8, utf-8-sig or gbk (gb18030).")
    assert said("zh_CN", lambda: csvimport.encoding_name("latin1"), InvalidInput) == (
        "未知编码 'latin1'：请使用 utf-8、utf-8-sig 或 gbk（gb18030）。")
    assert said("zh_CN", lambda: catalogue_import.import_parts(staff["manager"], "part_number,bin\n"),
                InvalidInput) == "文件只有表头行，没有数据行。"
    assert said("zh_CN", lambda: catalogue_import.import_parts(staff["manager"], "bin\nA-01\n"), InvalidInput) == (
        "第 1 行必须写明各列；缺少：part_number（找到：bin）。")
    price_file = "part_number,description,unit_price\nVW1,Pad 刹车片,12.50\nVW2,,1\nVW3,Disc,abc\n"
    with i18n.use_language("zh_CN"):
        with pytest.raises(ImportHasErrors) as caught:
            catalogue_import.import_parts(staff["manager"], price_file)
        assert dict(caught.value.report.bad) == {3: "零件 VW2 还不在配件目录中：该行需要名称",
                                                 4: "“unit_price”必须是金额，如 123.45，而不是 'abc'。"}
        result = catalogue_import.import_parts(staff["manager"], price_file, skip_bad=True,
                                               report_path=tmp_path / "bad.csv")
        assert result.summary() == (f"已读取 3 行（文本）：新增 1 个零件，更新 0 个，0 个未变；2 个错误行未导入，列在 "
                                    f"{tmp_path / 'bad.csv'}。")
    # the report of bad lines is written in the language of whoever imported
    header, *lines = (tmp_path / "bad.csv").read_text("utf-8-sig").splitlines()
    assert header == "行号,问题,part_number,description,bin,unit_price,manufacturer,wear_part,safety_part,hazardous"
    assert "3,零件 VW2 还不在配件目录中：该行需要名称,VW2,,,1,,,," in lines
    assert result.summary().startswith("3 line(s) read (text): 1 part(s) added, 0 updated, 0 unchanged; 2 bad line(s) ")


def test_text_validators_name_their_field_in_the_readers_language():
    from kiosk.i18n import N_
    from kiosk.text import parse_amount, parse_quantity

    calls = [lambda: parse_amount("1,5", N_("Amount")), lambda: parse_amount("1e308", N_("Unit price")),
             lambda: parse_amount(float("nan"), N_("Amount")), lambda: parse_quantity(2.5),
             lambda: parse_amount("-3", N_("Amount")),
             lambda: parse_amount("0.001", N_("Amount"))]
    assert [said("en", call, InvalidInput) for call in calls] == [
        "Amount '1,5': write a decimal point, 1.5, not a comma.",
        "Unit price must be an amount like 123.45, not '1e308'.",
        "Amount must be an amount like 123.45, not 'nan'.", "Quantity must be a whole number.",
        "Amount '-3' is negative; it must be 0 or more.", "Amount '0.001' has more than two decimals."]
    assert [said("zh_CN", call, InvalidInput) for call in calls] == [
        "金额 '1,5'：请用小数点，写成 1.5，不要用逗号。", "单价必须是金额，如 123.45，而不是 '1e308'。",
        "金额必须是金额，如 123.45，而不是 'nan'。", "数量必须是整数。",
        "金额 '-3' 是负数；必须为 0 或更大。", "金额 '0.001' 的小数超过两位。"]


# --- one English word, two meanings: message contexts ------------------------------------------------------------

def test_one_english_word_with_two_meanings_has_a_translation_for_each():
    from kiosk.i18n import NC_, N_, render

    with i18n.use_language("zh_CN"):
        assert (i18n.gettext("Tag"), i18n.pgettext("key", "Tag")) == ("标签号", "挂签")
        assert (i18n.gettext("Complaint"), i18n.pgettext("complaint", "Complaint")) == ("故障现象", "投诉内容")
        assert i18n.gettext(NC_("complaint", "open")) == "待处理" and i18n.gettext("open") == "进行中"
        assert render(N_("{field} is required."), {"field": NC_("complaint", "Complaint")}) == "投诉内容必须填写。"
        assert i18n.npgettext("key", "Tag", "Tags", 2) == "Tags"  # no such message: English, as gettext does
    with i18n.use_language("en"):
        assert i18n.gettext(NC_("key", "Tag")) == "Tag" == NC_("key", "Tag")  # still the English text as a str


def test_return_requests_and_labour_operations_files_bad_lines_in_chinese(room):
    from kiosk import labourops

    clerk, tag = room["parts_clerk"], room["tags"][0]
    holding.scan_in(clerk, tag.tag_number, TEN_BIN)
    text = ("request_number,manufacturer,due_on,tag_number\n"
            f"RR-2,,2026-12-01,{tag.tag_number}\nRR-1,,2026-12-01,W9999999\nRR-2,,2026-12-01,{tag.tag_number}\n"
            f"RR-2,,2026-12-09,{tag.tag_number}\n")
    with i18n.use_language("zh_CN"):
        with pytest.raises(ImportHasErrors) as caught:
            returns.import_requests(clerk, text)
        bad = dict(caught.value.report.bad)
        with pytest.raises(ImportHasErrors) as ops:
            labourops.import_labour_ops(room["advisor"], "code,standard_hours\nBR1,1.0\nbr1,2\nBR2,1e308\n")
    assert bad[4] == "与第 2 行是同一个件（重复）"
    assert bad[5] == "申请 RR-2 在第 2 行的厂家是 -、截止日期是 2026-12-01；本行写的是 -、2026-12-09"
    assert dict(ops.value.report.bad) == {3: "BR1 在第 2 行已有", 4: "标准工时必须是小时数，如 1.5，而不是 '1e308'。"}
    assert [english_left(p, ["W9999999", "RR-1", "RR-2"]) for p in bad.values()] == [[]] * len(bad), bad
