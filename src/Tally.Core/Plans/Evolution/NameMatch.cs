namespace Tally.Core.Plans.Evolution;

/// <summary>
/// Lines up the names of two versions of a collection: kept, removed, added, and removed+added pairs that look
/// like a rename (a later <c>_vN</c> version first, then the closest name by <see cref="Suggest.Closest"/>).
/// </summary>
internal sealed record NameMatch(
    IReadOnlyList<string> Kept,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Added,
    IReadOnlyList<(string Old, string New)> Renamed)
{
    public static NameMatch Of(IEnumerable<string> oldNames, IEnumerable<string> newNames)
    {
        var oldList = oldNames.Distinct().ToList();
        var newList = newNames.Distinct().ToList();
        var oldSet = oldList.ToHashSet(StringComparer.Ordinal);
        var newSet = newList.ToHashSet(StringComparer.Ordinal);
        var kept = newList.Where(oldSet.Contains).ToList();
        var removed = oldList.Where(n => !newSet.Contains(n)).ToList();
        var added = newList.Where(n => !oldSet.Contains(n)).ToList();
        var renamed = new List<(string, string)>();
        // A later version replacing its predecessor is the likeliest pairing, even for names too short for edit distance.
        foreach (var r in removed.ToList())
        {
            var successor = added.FirstOrDefault(a => Versioning.IsLaterVersionOf(a, r));
            if (successor is null) continue;
            renamed.Add((r, successor));
            removed.Remove(r);
            added.Remove(successor);
        }
        foreach (var r in removed.ToList())
        {
            var closest = Suggest.Closest(r, added);
            if (closest is null) continue;
            renamed.Add((r, closest));
            removed.Remove(r);
            added.Remove(closest);
        }
        return new NameMatch(kept, removed, added, renamed);
    }
}
