namespace Tally.Core.Analytics;

public enum CountGranularity
{
    Day,
    Hour,
}
