namespace Tally.Core.Events;

/// <summary>
/// Two ids that belong to one person: an anonymous id seen with a user id (identify, or any event carrying both),
/// an alias, or two users sharing the plan's merge key (the hashed email of seed 002).
/// </summary>
public sealed record IdentityLink(string FromId, string ToUserId, string Kind, DateTimeOffset At)
{
    public const string Identify = "identify";
    public const string Alias = "alias";
    public const string MergeKey = "merge_key";
}
