namespace Tally.Core.Plans.Evolution;

/// <summary>What a change between two versions of a plan means for the people who emit and read its data.</summary>
public enum ChangeKind
{
    /// <summary>Old emitters and old readers keep working: a new event, a new optional field, a widened enum.</summary>
    Additive,
    /// <summary>Old emitters are rejected or old readers misread: needs a new versioned event or table instead.</summary>
    Breaking,
    /// <summary>No schema effect, but worth knowing: descriptions, retention, sampling, query definitions.</summary>
    Neutral,
}
