namespace Tally.Core.Governance;

/// <summary>
/// One line of the append-only audit log: who (a key's non-secret label and its role), did what (an action such as
/// <c>subjects.delete</c>, <c>retention.apply</c>, <c>query.funnel</c>, <c>keys.create</c>), to what (a target that
/// never holds personal data in clear: a subject id appears only as its keyed hash), when, and with what outcome
/// (<c>ok</c>, <c>denied</c>, <c>error</c>). Detail is a short machine-readable summary (JSON or key=value), e.g. a
/// deletion receipt's counts.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Role, string Action, string Target, string Outcome, string Detail = "");

/// <summary>Which audit lines to read: a time range and optionally one action, newest first, at most <see cref="Limit"/>.</summary>
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Action = null, int Limit = 1000);
