using System.Text;
using System.Text.Json;
using Tally.Core.Events;
using Tally.Core.Plans;
using Tally.Core.Privacy;

namespace Tally.Core.Pipeline;

/// <summary>
/// The collector's per-event pipeline, in the order the plan promises: map the envelope, validate against the plan,
/// honour opt-out, sample, apply privacy policies, enrich. Deduplication happens at the store, which knows every id.
/// Pure: no I/O; the opt-out state it reads is in memory and changes are reported back in the outcome.
/// </summary>
public sealed class EventPipeline
{
    private readonly TrackingPlan _plan;
    private readonly PipelineOptions _options;
    private readonly PlanValidator _validator;
    private readonly PrivacyTransformer _privacy;
    private readonly string _defaultEnvironment;

    public EventPipeline(TrackingPlan plan, PipelineOptions options, OptOutRegistry optOuts, SuppressionList? suppressed = null)
    {
        _plan = plan;
        Suppressed = suppressed;
        _options = options;
        OptOuts = optOuts;
        _validator = new PlanValidator(plan);
        _privacy = new PrivacyTransformer(plan, new PropertyHasher(options.HashSalt));
        _defaultEnvironment = plan.Defaults.Environment ?? plan.Environments.FirstOrDefault() ?? "production";
    }

    public TrackingPlan Plan => _plan;
    public OptOutRegistry OptOuts { get; }
    /// <summary>Ids of deleted subjects (GDPR): their later events are dropped before anything else looks at them.</summary>
    public SuppressionList? Suppressed { get; }
    public PropertyHasher Hasher => _privacy.Hasher;

    /// <summary>Runs one payload through the pipeline. <paramref name="rawBytes"/> is its size on the wire.</summary>
    public PipelineOutcome Process(JsonElement payload, IngestContext ctx, string? segmentType = null, int rawBytes = 0)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return Quarantine(new MappedEvent { RawBytes = rawBytes }, null, ctx,
                [new Violation(ViolationCodes.NotAnObject, $"an event must be a JSON object, not {payload.ValueKind.ToString().ToLowerInvariant()}")]);
        }
        var mapped = EnvelopeMapper.Map(payload, _plan, segmentType);
        mapped.RawBytes = rawBytes;
        return Process(mapped, ctx);
    }

    public PipelineOutcome Process(MappedEvent e, IngestContext ctx)
    {
        // A deleted subject's events are dropped first: not validated, not quarantined, no consent change recorded.
        if (Suppressed is { Count: > 0 } suppressed && suppressed.AnySuppressed(e.AnonymousId, e.UserId, e.SessionId, e.PreviousId))
            return new PipelineOutcome.Dropped(DropReasons.Suppressed, e.Name);
        e.EventId ??= Guid.CreateVersion7(ctx.ReceivedAt).ToString("N");
        var environment = e.Environment ?? ctx.Environment ?? _defaultEnvironment;
        e.Environment = environment;
        // Scratch lists reused per thread (Process runs synchronously): most events fill none of them, and a fresh
        // set per event was a tenth of the pipeline's allocations. What outlives the call is copied out.
        var violations = Scratch(ref t_violations);
        var undeclared = Scratch(ref t_undeclared);
        var unrecoverable = Scratch(ref t_unrecoverable);
        if (e.HasIngestViolations) violations.AddRange(e.IngestViolations);

        // Identity calls are not plan events: they carry links, and their traits pass the undeclared policy.
        var identityCall = e.Type is "identify" or "alias" or "group";
        EventDefinition? def = null;
        if (e.RawBytes > _options.MaxEventBytes)
            violations.Add(new Violation(ViolationCodes.EventTooLarge, $"the event is {e.RawBytes} bytes, more than {_options.MaxEventBytes}"));
        if (!identityCall)
        {
            if (e.Name is null)
                violations.Add(new Violation(ViolationCodes.MissingEventName, $"no event name at '{_plan.Envelope.Event}'"));
            else if ((def = _plan.FindEvent(e.Name)) is null)
                violations.Add(new Violation(ViolationCodes.UnknownEvent, $"'{e.Name}' is not in plan {_plan.Name}{Suggest.Hint(e.Name, _plan.Events.Select(x => x.Name))}"));
            else
            {
                DropUnrecoverable(e, def, unrecoverable);
                _validator.Validate(e, def, violations, undeclared);
            }
        }
        if (!_plan.Environments.Contains(environment))
            violations.Add(new Violation(ViolationCodes.WrongEnvironment, $"environment '{environment}' is not one of {string.Join(", ", _plan.Environments)}"));
        if (_plan.Privacy.Undeclared == UndeclaredPolicy.Quarantine)
            foreach (var u in undeclared) violations.Add(new Violation(ViolationCodes.UndeclaredProperty, $"'{u}' is not declared on {e.Name}", u));

        var timestamp = ResolveTimestamp(e, ctx, violations, out var original);

        // Opt-out: an opted-out actor's non-essential events are dropped whether or not they are valid; quarantine
        // must not become a back door for their data.
        var essential = def?.Essential == true;
        var wasOptedOut = OptOuts.IsOptedOut(e.UserId, e.AnonymousId);
        bool? optOutChange = OptOutChangeOf(e, def);
        if (optOutChange is { } change)
        {
            if (e.UserId is not null) OptOuts.Set(e.UserId, change);
            if (e.AnonymousId is not null) OptOuts.Set(e.AnonymousId, change);
        }
        // The event that records a change of consent is kept like an essential one: it is the consent record, and the
        // collector persists the change from the accepted event. A flag merely repeated on later events changes nothing.
        var recordsChange = optOutChange is { } c && (c != wasOptedOut || def is not null && def.Name == _plan.Identity.OptOutEvent);
        var kept = essential || recordsChange;
        if (!kept && !identityCall && OptOuts.IsOptedOut(e.UserId, e.AnonymousId))
            return new PipelineOutcome.Dropped(DropReasons.OptOut, e.Name) { OptOut = optOutChange };

        if (violations.Count > 0) return Quarantine(e, def, ctx, [.. violations]) with { OptOut = optOutChange };

        if (def is not null && !kept && !Sampler.Keep(e.SessionId ?? e.AnonymousId ?? e.UserId ?? e.EventId, _plan.SamplingOf(def)))
            return new PipelineOutcome.Dropped(DropReasons.Sampling, e.Name) { OptOut = optOutChange };

        var report = new PrivacyTransformer.Report();
        var json = _privacy.Transform(e.Properties, def, environment, forQuarantine: false, report, e.AlreadyTransformed);
        // Usually only the personal context fields were dropped (a Segment library's context.ip): their list is reused.
        IReadOnlyList<string> droppedFields;
        if (report.DroppedOrNone.Count == 0 && unrecoverable.Count == 0)
        {
            droppedFields = e.DroppedContext;
        }
        else
        {
            report.Dropped.AddRange(e.DroppedContext);
            report.Dropped.AddRange(unrecoverable);
            droppedFields = report.Dropped;
        }

        var identifiers = _plan.Identity.Identifiers;
        var collected = new CollectedEvent
        {
            EventId = e.EventId,
            Name = e.Name ?? "$" + e.Type,
            Type = e.Type,
            Timestamp = timestamp,
            ReceivedAt = ctx.ReceivedAt,
            OriginalTimestamp = original,
            AnonymousId = identifiers ? e.AnonymousId : null,
            UserId = identifiers ? e.UserId : null,
            SessionId = identifiers ? e.SessionId : null,
            Environment = environment,
            Source = e.Source ?? ctx.Source,
            RequestId = ctx.RequestId,
            Count = e.Count,
            AggregateOnly = def?.AggregateOnly == true,
            // Aggregate-only: only the roll-up's dimensions; the raw properties are never written.
            PropertiesJson = def?.AggregateOnly == true ? AggregateDimensions.Of(_plan, def, json, e.Source) : json,
            PreviousId = identifiers ? e.PreviousId : null,
        };
        return new PipelineOutcome.Accepted(collected, identifiers ? LinksOf(collected, json) : [], droppedFields) { OptOut = optOutChange };
    }

    [ThreadStatic] private static List<Violation>? t_violations;
    [ThreadStatic] private static List<string>? t_undeclared;
    [ThreadStatic] private static List<string>? t_unrecoverable;

    private static List<T> Scratch<T>(ref List<T>? list)
    {
        list ??= [];
        list.Clear();
        return list;
    }

    /// <summary>
    /// A replayed event's properties that quarantine hashed because nothing declared them: the raw values were never
    /// kept, so a hash stays only where the plan now wants a hash (or keeps undeclared data hashed). Anywhere else it
    /// would be a hash posing as the value, unchecked, so the property is left out and reported as dropped.
    /// </summary>
    private void DropUnrecoverable(MappedEvent e, EventDefinition def, List<string> dropped)
    {
        if (e.Unvetted is not { Count: > 0 } unvetted) return;
        foreach (var name in unvetted)
        {
            var pd = def.Declares(name) ? _plan.ResolveProperty(def, name) : null;
            var keep = pd is null ? _plan.Privacy.Undeclared != UndeclaredPolicy.Drop : pd.Privacy == PrivacyPolicy.Hash;
            if (keep || !e.Properties.Remove(name)) continue;
            e.AlreadyTransformed?.Remove(name);
            dropped.Add(name);
        }
    }

    private bool? OptOutChangeOf(MappedEvent e, EventDefinition? def)
    {
        var prop = _plan.Identity.OptOutProperty;
        bool? flag = prop is not null && e.Properties.TryGetValue(prop, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.ValueKind == JsonValueKind.True : null;
        if (def is not null && def.Name == _plan.Identity.OptOutEvent) return flag ?? true;
        return flag == true ? true : null;
    }

    private DateTimeOffset ResolveTimestamp(MappedEvent e, IngestContext ctx, List<Violation> violations, out string? original)
    {
        original = null;
        if (e.TimestampText is null) return ctx.ReceivedAt;
        if (!IsoTimestamp.TryParse(e.TimestampText, out var ts))
        {
            violations.Add(new Violation(ViolationCodes.BadTimestamp, $"'{_plan.Envelope.Timestamp}' is not an ISO 8601 timestamp"));
            return ctx.ReceivedAt;
        }
        // Segment's clock-skew correction: the client's clock is off by (sentAt - receivedAt), so shift by that.
        if (IsoTimestamp.TryParse(e.SentAtText, out var sentAt))
            ts = ctx.ReceivedAt - (sentAt - ts);
        if (ts > ctx.ReceivedAt + _options.MaxFutureSkew || ts < ctx.ReceivedAt - _options.MaxPastAge)
        {
            original = e.TimestampText;
            return ctx.ReceivedAt;
        }
        return ts;
    }

    private IReadOnlyList<IdentityLink> LinksOf(CollectedEvent e, string propertiesJson)
    {
        List<IdentityLink>? links = null;
        if (e.UserId is not null)
        {
            if (e.AnonymousId is not null) (links ??= []).Add(new IdentityLink(e.AnonymousId, e.UserId, IdentityLink.Identify, e.Timestamp));
            if (e.PreviousId is not null) (links ??= []).Add(new IdentityLink(e.PreviousId, e.UserId, IdentityLink.Alias, e.Timestamp));
            if (_plan.Identity.MergeBy is { } key && propertiesJson.Contains(key, StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(propertiesJson);
                if (doc.RootElement.TryGetProperty(key, out var mv) && mv.ValueKind == JsonValueKind.String && mv.GetString() is { Length: > 0 } merge)
                    (links ??= []).Add(new IdentityLink("mk:" + merge, e.UserId, IdentityLink.MergeKey, e.Timestamp));
            }
        }
        return links ?? (IReadOnlyList<IdentityLink>)[];
    }

    private bool StricterSomewhere(string name)
    {
        var shared = _plan.Properties.First(p => p.Name == name);
        foreach (var evt in _plan.Events)
            foreach (var local in evt.Properties)
                if (local.Name == name && (local.Privacy != shared.Privacy || shared.Sanitized && !local.Sanitized || !local.Export && shared.Export))
                    return true;
        return false;
    }

    private PipelineOutcome Quarantine(MappedEvent e, EventDefinition? def, IngestContext ctx, List<Violation> violations)
    {
        // Before writing: a replay must carry the same id, or it would be stored twice.
        e.EventId ??= Guid.CreateVersion7(ctx.ReceivedAt).ToString("N");
        if (!_plan.Identity.Identifiers)
        {
            // A plan that holds no identifiers holds none in quarantine either.
            e.AnonymousId = e.UserId = e.SessionId = e.PreviousId = null;
        }
        // An unknown event is only ever quarantined. Properties the plan defines at its top level were vetted there,
        // so they keep that policy (and their values can pass a replay once the plan adds the event); the transformer
        // hashes the rest as unvetted, and the payload says which, so a replay never takes those hashes for values.
        // Which event it was is unknown, so a name is kept under its plan-wide definition only when no event defines
        // it more strictly (seed 001: error_message is sanitized plan-wide but hashed on integration.sync_failed).
        def ??= new EventDefinition { Name = e.Name ?? "", Optional = [.. e.Properties.Keys.Where(k => _plan.Properties.Any(p => p.Name == k) && !StricterSomewhere(k))] };
        // A value of the wrong shape is of unknown nature (an email typed into an order id): hashed too. An enum or
        // range miss keeps its value, since it has the property's shape and is what a plan fix and replay need.
        var suspect = violations.Where(v => v.Property is not null && v.Code is ViolationCodes.PatternViolation or ViolationCodes.TooLong or ViolationCodes.WrongType)
            .Select(v => v.Property!.Split('.', '[')[0]).ToHashSet();
        var unvetted = e.Properties.Keys.Where(k => e.AlreadyTransformed?.Contains(k) != true
            && (suspect.Contains(k) || !def.Declares(k) || _plan.ResolveProperty(def, k) is null)).ToList();
        var report = new PrivacyTransformer.Report();
        var properties = _privacy.Transform(e.Properties, def, e.Environment ?? _defaultEnvironment, forQuarantine: true, report, e.AlreadyTransformed, suspect);
        var payload = QuarantinePayload.Write(e, properties, report.Transformed, unvetted);
        if (Encoding.UTF8.GetByteCount(payload) > _options.MaxEventBytes)
            payload = QuarantinePayload.Write(e, "{}", []); // too large to keep whole; the envelope still identifies it
        return new PipelineOutcome.Quarantined(new QuarantinedEvent
        {
            Id = Guid.CreateVersion7(ctx.ReceivedAt).ToString("N"),
            EventId = e.EventId,
            EventName = e.Name,
            Reasons = violations,
            PayloadJson = payload,
            Source = ctx.Source,
            ReceivedAt = ctx.ReceivedAt,
            RequestId = ctx.RequestId,
            Environment = e.Environment ?? _defaultEnvironment,
        });
    }
}
