"""The services an app instance runs with, built once in the lifespan; the only publisher."""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from arena.auth import Authenticator, load_server_key
from arena.live.channels import channel
from arena.live.hub import Hub, encode
from arena.models import Round
from arena.services.accounts import Accounts
from arena.services.audit import latest_hash
from arena.services.boards.service import BoardService
from arena.services.consistency import ConsistencyService
from arena.services.contests.catalogue import ContestCatalogue
from arena.services.contests.flow import ContestFlow
from arena.services.publisher import Publisher
from arena.services.reveal import (
    RevealService,
    RevealState,
    frozen_village,
    load_state,
    public_view,
)
from arena.services.rounds import RoundCatalogue
from arena.services.scores import ScoreWriter
from arena.services.socket_watch import SocketWatch
from arena.services.standings import RoundResult, StandingsService
from arena.services.trend import CampaignTrend, profile
from arena.services.views import standings_view, village_view
from arena.settings import Settings


@dataclass
class _Snapshot:
    """A round's standings view for one computed result and one audit head, encoded on demand."""

    result: RoundResult
    head: str
    view: dict[str, Any]
    encoded: bytes | None = None


class Services:
    """Everything endpoints call: authentication, rounds, scores, standings, publication."""

    def __init__(self, settings: Settings, hub: Hub) -> None:
        self.settings = settings
        self.hub = hub
        self.auth = Authenticator(settings.auth.cookie_name, settings.auth.token_cache_seconds)
        self.accounts = Accounts(settings.auth)
        key = load_server_key(settings.data_dir, settings.secret_key)
        self.rounds = RoundCatalogue(key, settings.public_url)
        self.standings = StandingsService(self.rounds)
        self.consistency = ConsistencyService(self.standings)  # judges' consistency (organisers)
        self.trend = CampaignTrend(self.standings)
        self.reveal = RevealService()
        self.sockets = SocketWatch(settings.auth.token_cache_seconds)
        self.publisher = Publisher(
            settings.live.publish_delay_seconds, settings.live.publish_interval_seconds
        )
        self._village_cache: dict[tuple[int, str], tuple[Any, dict[str, Any]]] = {}
        self._snapshots: dict[int, _Snapshot] = {}
        self.scores = ScoreWriter(self.rounds, self.round_changed)
        self.contests = ContestCatalogue(key, settings.public_url)
        self.contest_flow = ContestFlow(self.contests, self.contest_changed)
        self.boards = BoardService()
        # Orders "read the reveal state, publish the public view" between score changes and
        # reveal steps in this process, so a stale live view never lands after a freeze.
        self._public = asyncio.Lock()

    def contest_changed(self, contest_id: int) -> None:
        """Schedule the new state of a contest for its screens, console and tablets."""
        self.publisher.touch(f"contest:{contest_id}", lambda: self.publish_contest(contest_id))

    async def publish_contest(self, contest_id: int) -> None:
        """Push a contest's state to its channel."""
        await self.hub.publish(
            channel("contest", contest_id), "state", await self.contest_state(contest_id)
        )

    async def contest_state(self, contest_id: int, host: bool = False) -> dict[str, Any]:
        """A contest's live state (judges named only for the host)."""
        from arena.services.contests.views import state_view

        return await state_view(await self.contests.get(contest_id), host=host)

    def board_changed(self, board_id: int) -> None:
        """Tell a board's screens that what they show has changed (an import, a follow-up)."""
        self.publisher.touch(f"board:{board_id}", lambda: self.publish_board(board_id))

    async def publish_board(self, board_id: int) -> None:
        """Push the board's current version; a screen showing another one redraws."""
        await self.hub.publish(
            channel("board", board_id), "changed", await self.board_version(board_id)
        )

    async def board_version(self, board_id: int) -> dict[str, Any]:
        """A short digest of everything the board screen shows."""
        from arena.services.boards.followup import follow_ups
        from arena.services.boards.views import screen

        c = await self.boards.computed(board_id)
        if c.result is None:
            return {"version": "empty"}
        view = screen(c, await follow_ups(c))
        text = json.dumps(view, sort_keys=True, ensure_ascii=False, default=str)
        return {"version": hashlib.sha256(text.encode()).hexdigest()[:16]}

    def round_changed(self, round_id: int) -> None:
        """Schedule the new standings of a round for its screens, organisers and villages."""
        self.publisher.touch(f"round:{round_id}", lambda: self.publish_round(round_id))

    async def publish_round(self, round_id: int) -> None:
        """Push a round's standings: organiser's live channel, public channel, every village."""
        live = await self.round_snapshot(round_id)
        await self.hub.publish(channel("round", round_id, private=True), "standings", live)
        await self._publish_public(round_id, live, score_change=True)
        # Village pages get a small hint and fetch their own breakdown (computed and cached in
        # the process that serves them), so a change costs one computation, not one per village.
        await self._hint_villages(round_id)

    async def _hint_villages(self, round_id: int) -> None:
        meta = await self.rounds.get(round_id)
        for village in meta.villages.values():
            await self.hub.publish(channel("village", village.id), "changed", {"round": round_id})

    async def _publish_public(
        self, round_id: int, live: dict[str, Any] | None, score_change: bool = False
    ) -> None:
        async with self._public:
            state = await load_state(round_id)
            if state.frozen and score_change:
                return  # frozen screens show only what the organiser releases
            live = live if live is not None else await self.round_snapshot(round_id)
            await self.hub.publish(
                channel("round", round_id), "standings", public_view(live, state)
            )

    async def round_snapshot(self, round_id: int) -> dict[str, Any]:
        """The live standings as organisers and the API show them (never mutate the answer)."""
        return (await self._snapshot(round_id)).view

    async def round_snapshot_json(self, round_id: int) -> bytes:
        """The same, encoded once per change: a standings read costs a lookup, not a rendering."""
        snapshot = await self._snapshot(round_id)
        if snapshot.encoded is None:
            snapshot.encoded = encode(snapshot.view).encode()
        return snapshot.encoded

    async def _snapshot(self, round_id: int) -> _Snapshot:
        result = await self.standings.result(round_id)
        head = await latest_hash()
        cached = self._snapshots.get(round_id)
        if cached is None or cached.result is not result or cached.head != head:
            cached = _Snapshot(result, head, standings_view(result, head))
            self._snapshots[round_id] = cached
        return cached

    async def standings_json(self, round_id: int, *, live: bool) -> bytes:
        """The standings a reader may see, encoded: live for organisers and for everyone while
        the round is not frozen; otherwise the board at the freeze plus the places announced."""
        if live or not (await load_state(round_id)).frozen:
            return await self.round_snapshot_json(round_id)
        return encode(await self.public_snapshot(round_id)).encode()

    async def public_snapshot(self, round_id: int) -> dict[str, Any]:
        """What public screens show: live standings, or the frozen reveal."""
        state = await load_state(round_id)
        if state.frozen:
            return public_view({}, state)
        return public_view(await self.round_snapshot(round_id), state)

    async def village_breakdown(
        self, round_id: int, code: str, *, identities: bool
    ) -> dict[str, Any]:
        """A village's full breakdown (during a reveal, what non-organisers may see of it)."""
        if not identities:
            state = await load_state(round_id)
            if state.frozen:
                return dict(frozen_village(state, code)["breakdown"])
        result = await self.standings.result(round_id)
        return village_view(
            result,
            code,
            identities=identities,
            audit_hash=await latest_hash(),
            label_key=self.rounds.server_key,
        )

    async def village_snapshot(self, round_id: int, code: str) -> dict[str, Any]:
        """A participant's page: the breakdown (judges anonymous), radar profile and trend.

        From the freeze until the release it is the page as it stood at the freeze, and only
        once the village's place is announced (DESIGN.md, "Live protocol").
        """
        state = await load_state(round_id)
        if state.frozen:
            return frozen_village(state, code)
        return await self._village_live(round_id, code)

    async def _village_live(self, round_id: int, code: str) -> dict[str, Any]:
        result = await self.standings.result(round_id)
        cached = self._village_cache.get((round_id, code))
        if cached is not None and cached[0] == result.signature:
            return cached[1]
        snapshot = {
            "breakdown": village_view(
                result,
                code,
                identities=False,
                audit_hash=await latest_hash(),
                label_key=self.rounds.server_key,
            ),
            "profile": profile(result, code),
            "trend": await self.trend.history(round_id, code),
        }
        self._village_cache[(round_id, code)] = (result.signature, snapshot)
        return snapshot

    async def reveal_state(self, round_id: int) -> dict[str, Any]:
        """The reveal as the organiser's console shows it."""
        await self.rounds.get(round_id)
        return (await load_state(round_id)).to_json()

    async def reveal_action(self, round_id: int, action: str, actor: str) -> dict[str, Any]:
        """Freeze, step or release a round's public screens, then push them at once."""
        await self.rounds.get(round_id)
        state: RevealState
        if action == "freeze":
            meta = await self.rounds.get(round_id)
            villages = {code: await self._village_live(round_id, code) for code in meta.villages}
            live = await self.round_snapshot(round_id)
            state = await self.reveal.freeze(round_id, live, actor, villages)
        elif action == "step":
            state = await self.reveal.step(round_id, actor)
        else:
            state = await self.reveal.release(round_id, actor)
        await self._publish_public(round_id, None)
        await self._hint_villages(round_id)
        return state.to_json()

    async def rounds_overview(self) -> list[dict[str, Any]]:
        """Every round, newest first, with its status and how many sheets are in."""
        rows = await Round.all().order_by("-date", "-id").values_list("id")
        overview = []
        for (round_id,) in rows:
            result = await self.standings.result(round_id)
            s = result.standings
            overview.append(
                {
                    **result.meta.summary(result.status),
                    "sheets_in": s.sheets_in,
                    "sheets_expected": s.sheets_expected,
                    "villages": len(s.rows),
                }
            )
        return overview

    async def contests_overview(self) -> list[dict[str, Any]]:
        """Every contest, newest first, with its status and how many contestants are revealed."""
        from arena.models import Contest, Contestant

        rows = (
            await Contest.filter(archived=False)  # archived contests are kept, not listed
            .order_by("-date", "-id")
            .values("id", "name", "date", "status")
        )
        states = await Contestant.filter(contest_id__in=[r["id"] for r in rows]).values_list(
            "contest_id", "state"
        )
        for r in rows:
            mine = [state for contest_id, state in states if contest_id == r["id"]]
            r.update(contestants=len(mine), revealed=mine.count("revealed"))
        return rows
