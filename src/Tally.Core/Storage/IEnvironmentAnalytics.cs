namespace Tally.Core.Storage;

/// <summary>A store whose analytics can answer for one environment other than the default (production).</summary>
public interface IEnvironmentAnalytics
{
    IAnalyticsStore Analytics(string environment);
}
