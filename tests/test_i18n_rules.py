"""The rules' refusals carry a message id and their values: the same refusal in English and in Chinese."""

import pytest

from kiosk import (catalogue, clocking, complaints, customers, delivery, followups, holding, i18n, jobs, parts,
                   reception, returns, warranty)
from kiosk.config import Settings
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
