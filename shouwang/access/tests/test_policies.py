"""The permission matrix: every persona against every child, for each capability."""

import pytest

from shouwang.access.capabilities import Cap
from shouwang.access.chokepoints import access_child
from shouwang.access.policies import can, can_on, holders, require, scope
from shouwang.core.errors import NotFound, PermissionDenied
from shouwang.registry.models import Child
from shouwang.testing.world import World

# persona -> the children she may see
VISIBLE = {
    "alice": {"hongmei"},
    "amy": {"xiaoming"},
    "sam": {"hongmei", "xiaoming"},
    "bob": {"qiang"},
    "carl": {"hongmei", "xiaoming", "qiang"},
    "tina": {"xiaoming"},
    "pat": set(),
    "rita": set(),
    "adam": set(),
    "nora": set(),
}
# persona -> the children she may change
CHANGEABLE = {
    "alice": {"hongmei"},
    "amy": {"xiaoming"},
    "sam": {"hongmei", "xiaoming"},
    "bob": {"qiang"},
}
CHILDREN = ["hongmei", "xiaoming", "qiang"]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_it_scopes_the_child_list_to_exactly_the_persona_reach(world: World, persona: str) -> None:
    user = getattr(world, persona)
    names = {
        name
        for name in CHILDREN
        if scope(user, Cap.VIEW_CHILD, Child.objects.all())
        .filter(pk=getattr(world, name).pk)
        .exists()
    }
    assert names == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
@pytest.mark.parametrize("child", CHILDREN)
def test_it_answers_not_found_for_children_out_of_reach(
    world: World, persona: str, child: str
) -> None:
    user = getattr(world, persona)
    target = getattr(world, child)
    if child in VISIBLE[persona]:
        assert access_child(user, target.public_id) == target
    else:
        with pytest.raises(NotFound):
            access_child(user, target.public_id)


@pytest.mark.parametrize("persona", sorted(VISIBLE))
@pytest.mark.parametrize("child", CHILDREN)
def test_it_allows_changes_only_within_the_change_scope(
    world: World, persona: str, child: str
) -> None:
    user = getattr(world, persona)
    assert can_on(user, Cap.CHANGE_CHILD, getattr(world, child)) == (
        child in CHANGEABLE.get(persona, set())
    )


def test_it_gives_the_same_answer_for_missing_malformed_and_forbidden(world: World) -> None:
    messages = []
    for public_id in (world.qiang.public_id, "00000000-0000-4000-8000-000000000000", "x' OR 1=1"):
        with pytest.raises(NotFound) as exc:
            access_child(world.alice, public_id)
        messages.append(str(exc.value))
    assert len(set(messages)) == 1


def test_require_distinguishes_visible_but_read_only_from_out_of_reach(world: World) -> None:
    with pytest.raises(PermissionDenied):
        require(world.carl, Cap.CHANGE_CHILD, world.hongmei)  # county officer: sees, cannot change
    with pytest.raises(NotFound):
        require(world.bob, Cap.CHANGE_CHILD, world.hongmei)  # other town: does not see
    require(world.alice, Cap.CHANGE_CHILD, world.hongmei)


def test_staff_and_superuser_flags_grant_no_access_to_children(world: World) -> None:
    assert world.adam.is_superuser
    assert not can(world.adam, Cap.VIEW_CHILD)
    assert not scope(world.adam, Cap.VIEW_CHILD, Child.objects.all()).exists()


def test_an_inactive_assignment_grants_nothing(world: World) -> None:
    world.alice.role_assignments.update(active=False)
    alice = type(world.alice).objects.get(pk=world.alice.pk)  # fresh object: no cached grants
    assert not can(alice, Cap.VIEW_CHILD)


def test_an_inactive_user_reaches_nothing(world: World) -> None:
    world.alice.is_active = False
    assert not scope(world.alice, Cap.VIEW_CHILD, Child.objects.all()).exists()


def test_holders_lists_who_can_act_on_a_child(world: World) -> None:
    changers = {u.username for u in holders(Cap.CHANGE_CHILD, world.hongmei)}
    viewers = {u.username for u in holders(Cap.VIEW_CHILD, world.xiaoming)}
    assert changers == {"alice", "sam"}
    assert viewers == {"amy", "sam", "carl", "tina"}


def test_implied_capabilities_come_from_the_table(world: World) -> None:
    assert can(world.alice, Cap.VIEW_CHILD)  # implied by REGISTER_CHILD / CHANGE_CHILD
    assert not can(world.carl, Cap.REGISTER_CHILD)
    assert not can(world.tina, Cap.CHANGE_CHILD)
