namespace Tally.Core.Governance;

/// <summary>The person (or session) a deletion request names, by one of its ids.</summary>
public sealed record Subject(SubjectKind Kind, string Id)
{
    /// <summary>The kind as it appears in receipts, audit targets and the CLI: <c>session</c>, <c>user</c>, <c>anonymous</c>.</summary>
    public string KindName => Kind switch
    {
        SubjectKind.Session => "session",
        SubjectKind.User => "user",
        _ => "anonymous",
    };
}
