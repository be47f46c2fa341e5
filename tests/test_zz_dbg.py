import random, time
from tests.surge import *
from tests.telegram_harness import running_bot
from bot.telegram import ratelimit
from bot.telegram.ratelimit import OVERALL_PERIOD, CHAT_PERIOD
async def test_dbg(api, fixture_settings, parser, redis):
    sent = []
    orig = ratelimit.TelegramRateLimiter.process_request
    async def pr(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        async def cb(*a, **k):
            sent.append((time.monotonic(), data.get("chat_id"), data.get("text", "")[:10]))
            return await callback(*a, **k)
        return await orig(self, cb, args, kwargs, endpoint, data, rate_limit_args)
    ratelimit.TelegramRateLimiter.process_request = pr
    rng = random.Random(1)
    surge = plan(40, rng)
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        await learn_answers(surge, services)
        api.inject("sendMessage", *random_faults(surge.total_messages, rng))
        push(api, surge, rng)
        await api.wait_for(surge.total_messages, timeout=60)
    ratelimit.TelegramRateLimiter.process_request = orig
    print("client max", max_in_window([t for t,_,_ in sent if _ is not None], 1.0))
    print("server", rates(api, 1.0, 3.0))
    calls = [c for c in api.calls if "chat_id" in c.params]
    t0 = calls[0].received
    import collections
    print("lags", sorted(round(c.received - s[0], 3) for c, s in zip(calls, [x for x in sent if x[1] is not None]))[-10:])
    hist = collections.Counter(int((c.received - t0)*10) for c in calls)
    print(sorted(hist.items()))
    hist = collections.Counter(int((s[0] - t0)*10) for s in sent if s[1] is not None)
    print(sorted(hist.items()))

async def test_dbg2(api, fixture_settings, parser, redis):
    from bot.telegram.window import SlidingWindow
    rec = []
    orig = SlidingWindow.record
    def record(self):
        orig(self); rec.append((id(self), self.limit, self.period, time.monotonic(), len(self._times)))
    SlidingWindow.record = record
    rng = random.Random(1)
    surge = plan(40, rng)
    async with running_bot(api, fixture_settings, parser, redis) as (_, services):
        await learn_answers(surge, services)
        push(api, surge, rng)
        await api.wait_for(surge.total_messages, timeout=60)
    SlidingWindow.record = orig
    overall = [r for r in rec if r[1] == 30]
    print("windows", {(r[0], r[1]) for r in overall}, len(overall))
    print("max", max_in_window([r[3] for r in overall], 1.0), [r[4] for r in overall][:40])
