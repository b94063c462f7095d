namespace Tally.Core.Plans.Linting;

/// <summary>
/// The envelope must say where the standard fields are: an empty or malformed path, or two standard fields read
/// from the same path, would make the collector reject or misread every payload.
/// </summary>
public sealed class EnvelopeRule : ILintRule
{
    public string Code => "envelope";

    public IEnumerable<Diagnostic> Check(TrackingPlan plan)
    {
        var env = plan.Envelope;
        // A plan that holds no identifiers at all (seed 004) has no actor fields to find.
        var ids = plan.Identity.Identifiers;
        var paths = new (string Key, string? Path, bool Required)[]
        {
            ("event", env.Event, true),
            ("timestamp", env.Timestamp, true),
            ("event_id", env.EventId, true),
            ("anonymous_id", env.AnonymousId, ids),
            ("user_id", env.UserId, ids),
            ("session_id", env.SessionId, false),
            ("environment", env.Environment, false),
            ("source", env.Source, false),
            ("sent_at", env.SentAt, false),
            ("count", env.Count, false),
        };
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, path, required) in paths)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                if (required) yield return Diagnostic.Error(Code, $"envelope: '{key}' is empty; it must name the payload field that holds it", env.Location);
                continue;
            }
            if (path.Split('.').Any(s => s.Trim().Length == 0))
                yield return Diagnostic.Error(Code, $"envelope: '{key}' path '{path}' has an empty segment", env.Location);
            else if (seen.TryGetValue(path, out var other))
                yield return Diagnostic.Error(Code, $"envelope: '{key}' and '{other}' both read '{path}'", env.Location);
            else
                seen[path] = key;
        }
    }
}
