"""The wire schemas: the client's dict shapes of a pull page are the protocol models' shapes."""

from __future__ import annotations

from sync.schemas import PULL_PAGE, PullPage, PullResponse, Record, RecordDict


def test_the_dict_shapes_of_a_pull_page_equal_the_protocol_models() -> None:
    assert set(RecordDict.__annotations__) == set(Record.model_fields)
    assert set(PullPage.__annotations__) == set(PullResponse.model_fields)


def test_a_pull_page_refuses_unknown_keys_and_bad_envelopes() -> None:
    import pytest
    from pydantic import ValidationError

    good = {
        "changes": [
            {
                "type": "brand",
                "id": "00000000-0000-0000-0000-000000000001",
                "version": 1,
                "seq": 1,
                "updated_at": "2026-11-22T09:00:00+01:00",
                "updated_by": None,
                "deleted": False,
                "data": {"code": "acme"},
            }
        ],
        "cursor": "c",
        "has_more": False,
        "server_time": "2026-11-22T09:00:00Z",
    }
    page = PULL_PAGE.validate_python(good)
    assert page["changes"][0]["updated_at"] == "2026-11-22T08:00:00Z"
    for bad in (
        {**good, "extra": 1},
        {**good, "changes": [{**good["changes"][0], "version": 0}]},
        {**good, "changes": [{**good["changes"][0], "type": "banana"}]},
    ):
        with pytest.raises(ValidationError):
            PULL_PAGE.validate_python(bad)
