namespace Tally.Core.Governance;

/// <summary>Which id names the subject of a deletion request: a session, a user, or an anonymous visitor.</summary>
public enum SubjectKind
{
    Session,
    User,
    Anonymous,
}
