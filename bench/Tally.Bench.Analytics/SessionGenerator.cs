using System.Text;
using Tally.Core.Events;

/// <summary>
/// Deterministic Aurora widget sessions following the plan's journeys (find my ring, track my order, returns and
/// resizing, stylist), as <see cref="CollectedEvent"/>s shaped like the collector stores them: properties after the
/// privacy policies, compact JSON, session id both in the column and in the properties. The same seed gives the same
/// events, ids included, so the stores load identical data and a run can be repeated.
/// </summary>
internal sealed class SessionGenerator(int seed, long actors, DateTimeOffset start, TimeSpan spread)
{
    private static readonly string[] Sources = ["launcher", "launcher", "launcher", "inline_quick_action", "deep_link"];
    private static readonly string[] Roles = ["guest", "guest", "customer", "customer", "stylist"];
    private static readonly string[] EntryPoints = ["/", "/rings", "/rings/engagement", "/product/solitaire-ring", "/account/orders", "/help"];
    private static readonly string[] Metals = ["gold", "white_gold", "platinum", "rose_gold", "silver"];
    private static readonly string[] Stones = ["diamond", "sapphire", "emerald", "none"];
    private static readonly string[] Budgets = ["0-500", "500-1500", "1500-5000", "5000+"];
    private static readonly string[] Statuses = ["processing", "shipped", "out_for_delivery", "delivered"];
    private static readonly string[] Options = ["return", "resize", "exchange"];
    private static readonly string[] Eligibility = ["eligible", "eligible", "needs_review", "outside_window"];
    private static readonly string[] Ratings = ["great", "great", "good", "good", "okay", "poor"];
    private static readonly string[] Errors = ["SHORTLIST_TIMEOUT", "SHORTLIST_LIMIT", "NETWORK_ERROR"];

    private readonly Random _rnd = new(seed);
    private readonly List<CollectedEvent> _session = new(32);
    private long _sessions;
    private long _requests;
    private long _clock;

    /// <summary>Events in session order, sessions one after another, until <paramref name="count"/> events.</summary>
    public IEnumerable<CollectedEvent> Events(long count)
    {
        long produced = 0;
        while (produced < count)
        {
            foreach (var e in NextSession())
            {
                if (produced++ >= count) yield break;
                yield return e;
            }
        }
    }

    private List<CollectedEvent> NextSession()
    {
        _session.Clear();
        var id = _sessions++;
        var session = $"s-{seed}-{id:x}";
        var actor = $"a-{_rnd.NextInt64(actors):x}";
        _clock = start.ToUnixTimeMilliseconds() + _rnd.NextInt64((long)spread.TotalMilliseconds);

        Add("aurora_widget_open", session, actor, w => w.S("source", Pick(Sources)).S("userRole", Pick(Roles)).S("entryPoint", Pick(EntryPoints)));
        var journey = _rnd.Next(100);
        if (journey < 55) FindMyRing(session, actor);
        else if (journey < 80) TrackMyOrder(session, actor);
        else if (journey < 93) ReturnsAndResizing(session, actor);
        else Stylist(session, actor);
        if (_rnd.Next(100) < 70) Add("aurora_widget_close", session, actor, w => w.S("source", "close_button"));
        return _session;
    }

    private void FindMyRing(string session, string actor)
    {
        Add("aurora_intent_detected", session, actor, w => w.S("intent", "find_product").S("source", "chat")
            .Raw("filters", $"{{\"metal\":\"{Pick(Metals)}\",\"stone\":\"{Pick(Stones)}\",\"budget\":\"{Pick(Budgets)}\"}}"));
        var carousels = _rnd.Next(100) < 85 ? 1 + _rnd.Next(3) : 0;
        var shortlisted = false;
        for (var c = 0; c < carousels; c++)
        {
            var products = Enumerable.Range(0, 4 + _rnd.Next(5)).Select(_ => $"p-{_rnd.Next(20_000)}").ToArray();
            Add("aurora_products_shown", session, actor, w => w.S("intent", "find_product").Array("productIds", products)
                .S("offerId", $"o-{_rnd.Next(50)}").I("readyToShipCount", _rnd.Next(products.Length + 1)));
            for (var v = _rnd.Next(3); v > 0; v--)
                Add("aurora_product_view", session, actor, w => w.S("productId", Pick(products)).S("source", "carousel"));
            if (_rnd.Next(100) < 30)
            {
                var position = _rnd.Next(products.Length);
                Add("aurora_product_shortlisted", session, actor, w => w.S("productId", products[position]).I("position", position).S("ctaId", "heart"));
                shortlisted = true;
            }
            else if (_rnd.Next(100) < 3)
            {
                Add("aurora_product_shortlist_error", session, actor, w => w.S("productId", Pick(products)).S("error", Pick(Errors)));
            }
        }

        Complete(session, actor, "find_product", carousels == 0 ? "no_result" : "success");
        Csat(session, actor, "find_product", shortlisted ? 50 : 25);
    }

    private void TrackMyOrder(string session, string actor)
    {
        if (_rnd.Next(100) < 40) Add("aurora_inline_track_order", session, actor, _ => { });
        Add("aurora_intent_detected", session, actor, w => w.S("intent", "track_order").S("source", "chat"));
        var order = Hash();
        var tracked = _rnd.Next(100) < 92;
        if (tracked)
        {
            Add("aurora_order_tracked", session, actor, w => w.S("intent", "track_order").S("orderNumberHash", order).S("status", Pick(Statuses)));
            if (_rnd.Next(100) < 20)
                Add("aurora_order_updates_subscribed", session, actor, w => w.S("channel", _rnd.Next(2) == 0 ? "sms" : "email").S("orderNumberHash", order));
            if (_rnd.Next(100) < 10)
            {
                if (_rnd.Next(100) < 85) Add("aurora_timeline_text_updates", session, actor, w => w.S("orderNumberHash", order).B("success", _rnd.Next(100) < 90));
                else Add("aurora_timeline_text_updates_error", session, actor, w => w.S("error", "SMS_PROVIDER_UNAVAILABLE"));
            }
        }

        if (!tracked || _rnd.Next(100) < 6) Ticket(session, actor);
        Complete(session, actor, "track_order", tracked ? "success" : "error");
        Csat(session, actor, "track_order", 35);
    }

    private void ReturnsAndResizing(string session, string actor)
    {
        Add("aurora_intent_detected", session, actor, w => w.S("intent", "return_exchange").S("source", "chat"));
        if (_rnd.Next(100) < 75)
            Add("aurora_return_initiated", session, actor, w => w.S("orderNumberHash", Hash()).S("option", Pick(Options)).S("eligibilityState", Pick(Eligibility)));
        if (_rnd.Next(100) < 15) Ticket(session, actor);
        Complete(session, actor, "return_exchange", "success");
        Csat(session, actor, "return_exchange", 30);
    }

    private void Stylist(string session, string actor)
    {
        Add("aurora_inline_stylist", session, actor, _ => { });
        Add("aurora_intent_detected", session, actor, w => w.S("intent", _rnd.Next(100) < 90 ? "contact_stylist" : "unknown").S("source", "inline"));
        if (_rnd.Next(100) < 70) Ticket(session, actor);
        Csat(session, actor, "contact_stylist", 20);
    }

    private void Ticket(string session, string actor) =>
        Add("aurora_stylist_ticket_created", session, actor, w =>
        {
            w.S("ticketId", $"t-{_rnd.NextInt64():x}").S("priority", _rnd.Next(100) < 20 ? "high" : "normal").S("queue", "stylists_eu");
            if (_rnd.Next(100) < 60) w.S("contactEmailHash", Hash());
        });

    private void Complete(string session, string actor, string intent, string outcome) =>
        Add("aurora_intent_complete", session, actor, w => w.S("intent", intent).I("durationMs", 80 + _rnd.Next(4_000)).S("outcome", outcome));

    private void Csat(string session, string actor, string intent, int percent)
    {
        if (_rnd.Next(100) >= percent) return;
        Add("aurora_csat_submitted", session, actor, w =>
        {
            w.S("rating", Pick(Ratings)).S("intent", intent);
            if (_rnd.Next(100) < 30) w.I("commentLength", 5 + _rnd.Next(300));
        });
    }

    private void Add(string name, string session, string actor, Action<JsonProps> properties)
    {
        // Guests read, type and wait between steps: 2–90 s, so sessions stay inside the 30-minute windows.
        _clock += 2_000 + _rnd.Next(88_000);
        var props = new JsonProps().S("sessionId", session).S("requestId", $"req-{_requests++:x}");
        properties(props);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(_clock);
        Span<byte> id = stackalloc byte[16];
        _rnd.NextBytes(id);
        _session.Add(new CollectedEvent
        {
            EventId = new Guid(id).ToString(),
            Name = name,
            Timestamp = at,
            ReceivedAt = at.AddMilliseconds(150 + _rnd.Next(1_500)),
            AnonymousId = actor,
            SessionId = session,
            Source = "aurora-widget",
            RequestId = $"http-{_requests:x}",
            PropertiesJson = props.ToString(),
        });
    }

    private string Hash()
    {
        Span<byte> bytes = stackalloc byte[32];
        _rnd.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    private T Pick<T>(T[] items) => items[_rnd.Next(items.Length)];

    /// <summary>A compact JSON object of known-safe values (no escaping needed), in insertion order like the collector's.</summary>
    private sealed class JsonProps
    {
        private readonly StringBuilder _sb = new("{", 256);

        public JsonProps S(string key, string value) => Raw(key, $"\"{value}\"");
        public JsonProps I(string key, long value) => Raw(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        public JsonProps B(string key, bool value) => Raw(key, value ? "true" : "false");
        public JsonProps Array(string key, string[] values) => Raw(key, "[" + string.Join(',', values.Select(v => $"\"{v}\"")) + "]");

        public JsonProps Raw(string key, string json)
        {
            if (_sb.Length > 1) _sb.Append(',');
            _sb.Append('"').Append(key).Append("\":").Append(json);
            return this;
        }

        public override string ToString() => _sb.ToString() + "}";
    }
}
