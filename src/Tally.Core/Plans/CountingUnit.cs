namespace Tally.Core.Plans;

/// <summary>Whose progress a funnel or KPI counts.</summary>
public enum CountingUnit
{
    Session,
    /// <summary>The identified user, with pre-login anonymous events stitched to it.</summary>
    User,
    /// <summary>The raw anonymous id, no stitching.</summary>
    Anonymous,
    /// <summary>Each event on its own (ratio KPIs count events).</summary>
    Event,
}
