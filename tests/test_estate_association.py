"""物业区域关联 services: search, submit with files or on paper, the district's review, and isolation."""

import pytest
from sqlalchemy import select

from models import Association, AssociationApplication, Attachment, BusinessLog, Community, District
from services.core.attachments import AttachmentStore, stage
from services.core.errors import NotFound, PermissionDenied, StaleRecord, ValidationError
from services.estate import association as assoc
from services.estate import scope
from services.review import associations as review
from tests.files import pdf_bytes, png_bytes, write


@pytest.fixture
def store(tmp_path):
    return AttachmentStore.under(tmp_path / "data")


@pytest.fixture
def files(tmp_path, store):
    """One staged file per required material."""
    made = []
    for index, material in enumerate(assoc.MATERIALS):
        data = pdf_bytes(f"material {index}") if index != 1 else png_bytes()
        path = write(tmp_path / "in", f"{index}.{'png' if index == 1 else 'pdf'}", data)
        made.append((material, stage(None, object(), path, store=store)))
    return made


def _free(demo_db, actor, name="城建"):
    """Communities of the developer that enterprise 1 has not associated, grouped by district."""
    rows = [r for r in assoc.search(demo_db, actor, name, None) if not r.state]
    assert rows, "the demo has communities of other districts for enterprise 1 to apply for"
    with demo_db.read() as s:
        district = {c.id: s.get(District, c.district_id) for c in
                    s.execute(select(Community).where(Community.id.in_([r.community_id for r in rows]))).scalars()}
    first = district[rows[0].community_id]
    return [r for r in rows if district[r.community_id].id == first.id], first


def test_search_marks_associated_and_pending_communities(demo_db, actor_of):
    qyadmin = actor_of("qyadmin")
    rows = assoc.search(demo_db, qyadmin, "万和", None)
    assert {r.state for r in rows} == {"已关联", ""}
    assert all("万和" in r.developer for r in rows)
    home = [d for d in assoc.districts(demo_db, qyadmin) if d[1] == rows[0].district][0]
    assert {r.district for r in assoc.search(demo_db, qyadmin, "万和", home[0])} == {home[1]}
    assert assoc.search(demo_db, qyadmin, "没有这个开发企业", None) == []
    assert assoc.search(demo_db, qyadmin, "%", None) == []  # a wildcard is a character, not a pattern
    with pytest.raises(ValidationError) as refused:
        assoc.search(demo_db, qyadmin, "  ", None)
    assert refused.value.field == "developer"


def test_submit_review_approve_and_the_community_opens_for_task_orders(demo_db, actor_of, store, files):
    qyadmin = actor_of("qyadmin")
    free, district = _free(demo_db, qyadmin)
    chosen = [r.community_id for r in free[:2]]
    done = assoc.submit(demo_db, qyadmin, chosen, files, store=store)
    assert done.application_no.startswith("GL") and "三个工作日" in done.message
    assert {r.state for r in assoc.search(demo_db, qyadmin, "城建", district.id) if r.community_id in chosen} == {"审核中"}
    with pytest.raises(ValidationError, match="已关联或正在审核中"):
        assoc.submit(demo_db, qyadmin, chosen[:1], files, store=store)

    reviewer = actor_of(f"shenhe{district.code}")
    rows, total = review.queue(demo_db, reviewer)
    mine = [r for r in rows if r.application_no == done.application_no]
    assert len(mine) == 1 and mine[0].files == 3 and "工作日" in mine[0].deadline
    detail = review.detail(demo_db, reviewer, mine[0].application_id)
    assert [a.kind for a in detail.attachments] == list(assoc.MATERIALS)
    opened = review.open_attachment(demo_db, reviewer, detail.attachments[0].attachment_id, store=store)
    assert opened.data.startswith(b"%PDF-") and opened.filename == f"{done.application_no}-" \
        f"{detail.attachments[0].attachment_id}.pdf"

    with demo_db.read() as s:
        before = scope.community_ids(s, qyadmin)
    assert not set(chosen) & set(before)
    review.approve(demo_db, reviewer, detail.application_id, detail.version)
    with demo_db.read() as s:
        assert set(chosen) <= set(scope.community_ids(s, qyadmin))
        logged = s.execute(select(BusinessLog.business_type).where(
            BusinessLog.application_no == done.application_no).order_by(BusinessLog.id)).scalars().all()
    assert logged == [assoc.BUSINESS_SUBMIT, review.BUSINESS_APPROVE]
    mine = [a for a in assoc.my_applications(demo_db, qyadmin) if a.application_no == done.application_no]
    assert mine[0].status_label == "审核通过"
    with pytest.raises(ValidationError, match="当前为“审核通过”，不能再审核"):  # a second reviewer, too late
        review.return_application(demo_db, reviewer, detail.application_id, detail.version, "晚了")


def test_a_decision_on_an_application_read_before_it_changed_is_refused(demo_db, actor_of, store, files):
    qyadmin = actor_of("qyadmin")
    free, district = _free(demo_db, qyadmin)
    done = assoc.submit(demo_db, qyadmin, [free[0].community_id], files, store=store)
    reviewer = actor_of(f"shenhe{district.code}")
    row = [r for r in review.queue(demo_db, reviewer)[0] if r.application_no == done.application_no][0]
    with pytest.raises(StaleRecord, match="该记录已被他人修改，请刷新后重试"):
        review.approve(demo_db, reviewer, row.application_id, version=0)


def test_skip_means_paper_and_return_stores_the_reason(demo_db, actor_of, store, files):
    qyadmin = actor_of("qyadmin")
    free, district = _free(demo_db, qyadmin)
    with pytest.raises(ValidationError, match="请添加附件"):
        assoc.submit(demo_db, qyadmin, [free[0].community_id], files[:1], store=store)
    with pytest.raises(ValidationError, match="不能再选择跳过"):
        assoc.submit(demo_db, qyadmin, [free[0].community_id], files, store=store, paper=True)
    done = assoc.submit(demo_db, qyadmin, [free[0].community_id], [], store=store, paper=True)
    assert "持实体材料至所在区的管理部办理" in done.message
    reviewer = actor_of(f"shenhe{district.code}")
    row = [r for r in review.queue(demo_db, reviewer)[0] if r.application_no == done.application_no][0]
    assert row.paper and row.files == 0
    with pytest.raises(ValidationError):
        review.return_application(demo_db, reviewer, row.application_id, 1, "  ")
    review.return_application(demo_db, reviewer, row.application_id, 1, "合同[/]缺页")
    mine = [a for a in assoc.my_applications(demo_db, qyadmin) if a.application_no == done.application_no][0]
    assert (mine.status_label, mine.reason) == ("审批退回", "合同[/]缺页")
    with demo_db.read() as s:
        assert s.execute(select(Association.status).where(
            Association.community_id == free[0].community_id, Association.enterprise_id == qyadmin.organisation_id)
        ).scalar_one() == "rejected"
    # returned: the community may be applied for again
    assert [r.state for r in assoc.search(demo_db, qyadmin, "城建", district.id)
            if r.community_id == free[0].community_id] == [""]


def test_isolation_between_organisations_and_roles(demo_db, actor_of, store, files):
    qyadmin, other = actor_of("qyadmin"), actor_of("duoshenfen")  # enterprise 1, enterprise 2's admin
    free, district = _free(demo_db, qyadmin)
    done = assoc.submit(demo_db, qyadmin, [free[0].community_id], files, store=store)
    assert done.application_no not in {a.application_no for a in assoc.my_applications(demo_db, other)}
    with demo_db.read() as s:
        application = s.execute(select(AssociationApplication).where(
            AssociationApplication.application_no == done.application_no)).scalar_one()
        attachment_id = s.execute(select(Attachment.id).where(
            Attachment.application_no == done.application_no)).scalars().first()
    with pytest.raises(PermissionDenied):
        review.open_attachment(demo_db, other, attachment_id, store=store)
    assert review.open_attachment(demo_db, qyadmin, attachment_id, store=store).data  # its own
    # a reviewer of another district neither sees nor decides it
    home = actor_of("shenhe")
    if district.code != "110105":
        assert done.application_no not in {r.application_no for r in review.queue(demo_db, home)[0]}
        with pytest.raises(NotFound):
            review.approve(demo_db, home, application.id, application.version)
        with pytest.raises(NotFound):
            review.open_attachment(demo_db, home, attachment_id, store=store)
    # clerks of offices, operators and reviewers have no business applying
    with pytest.raises(PermissionDenied):
        assoc.search(demo_db, actor_of("xqjb"), "城建", None)
    with pytest.raises(PermissionDenied):
        assoc.submit(demo_db, home, [free[0].community_id], [], store=store, paper=True)
    with pytest.raises(PermissionDenied):
        review.queue(demo_db, qyadmin)


def test_a_file_missing_from_the_store_or_communities_of_two_districts_are_refused(demo_db, actor_of, store, files,
                                                                                  tmp_path):
    qyadmin = actor_of("qyadmin")
    free, district = _free(demo_db, qyadmin)
    empty = AttachmentStore(tmp_path / "elsewhere")
    with pytest.raises(ValidationError, match="已不在附件库中"):
        assoc.submit(demo_db, qyadmin, [free[0].community_id], files, store=empty)
    others = [r for r in assoc.search(demo_db, qyadmin, "万和", None) + assoc.search(demo_db, qyadmin, "城建", None)
              if not r.state and r.district != free[0].district]
    if others:
        with pytest.raises(ValidationError, match="同一区县"):
            assoc.submit(demo_db, qyadmin, [free[0].community_id, others[0].community_id], files, store=store)
    with pytest.raises(ValidationError, match="请先勾选"):
        assoc.submit(demo_db, qyadmin, [], files, store=store)
