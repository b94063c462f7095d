using Microsoft.Extensions.Logging;

namespace Tally.Server.Governance;

/// <summary>Log lines of the scheduled governance jobs: counts and exception types only.</summary>
internal static partial class GovernanceLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention run: archived {Archived}, deleted {Deleted} raw events and {Rollups} roll-up rows")]
    public static partial void LogRetentionRun(this ILogger logger, long archived, long deleted, long rollups);

    [LoggerMessage(Level = LogLevel.Error, Message = "Retention run failed ({ExceptionType}): {Message}; the next run tries again")]
    public static partial void LogRetentionFailure(this ILogger logger, string exceptionType, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled export: {Rows} rows in {Partitions} hour partitions, {From:u} .. {To:u}")]
    public static partial void LogExport(this ILogger logger, long rows, int partitions, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled export failed ({ExceptionType}): {Message}; the next run covers the window again")]
    public static partial void LogExportFailure(this ILogger logger, string exceptionType, string message);
}
