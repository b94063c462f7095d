namespace Tally.Core.Demo;

/// <summary>
/// Who a flow's events come from: id patterns and the share of flows whose person logs in. A flow may override any of
/// them (a batch job with a fixed anonymous id, say); an id without a pattern is never sent.
/// </summary>
public sealed record ActorSettings
{
    /// <summary>Share of flows whose person is identified (sends a user id from its login step on).</summary>
    public double? Identified { get; init; }
    public IdTemplate? AnonymousId { get; init; }
    public IdTemplate? UserId { get; init; }
    public IdTemplate? SessionId { get; init; }

    /// <summary>These settings with every value <paramref name="over"/> sets taking precedence.</summary>
    public ActorSettings With(ActorSettings? over) => over is null ? this : new ActorSettings
    {
        Identified = over.Identified ?? Identified,
        AnonymousId = over.AnonymousId ?? AnonymousId,
        UserId = over.UserId ?? UserId,
        SessionId = over.SessionId ?? SessionId,
    };
}
