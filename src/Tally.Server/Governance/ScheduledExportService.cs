using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tally.Server.Governance;

/// <summary>
/// <c>--export-dir DIR --export-every 1h</c>: exports the hours completed since the last run through
/// <see cref="EventExporter"/>, which rewrites whole hour partitions from the store, so covering a window twice never
/// duplicates a row. Each run also covers the hour before its window once more, for events that arrived late.
/// </summary>
internal sealed class ScheduledExportService(EventExporter exporter, string root, TimeSpan every, TimeProvider clock, ILogger<ScheduledExportService> logger) : BackgroundService
{
    private static readonly TimeSpan LateArrivals = TimeSpan.FromHours(1);

    private DateTimeOffset? _exportedUntil;

    /// <summary>The window a run at <paramref name="now"/> exports: whole completed hours only.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateTimeOffset now, DateTimeOffset? exportedUntil, TimeSpan every)
    {
        var utc = now.UtcDateTime;
        var end = new DateTimeOffset(utc.Date.AddHours(utc.Hour), TimeSpan.Zero);
        var span = every < TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : every;
        var start = (exportedUntil is { } until && until < end ? until : end - span) - LateArrivals;
        return (start, end);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (from, to) = Window(clock.GetUtcNow(), _exportedUntil, every);
                try
                {
                    var report = await exporter.ExportAsync(root, from, to, environment: null, stoppingToken).ConfigureAwait(false);
                    _exportedUntil = to;
                    logger.LogExport(report.Rows, report.Partitions, report.From, report.To);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogExportFailure(ex.GetType().Name, ex.Message);
                }

                await Task.Delay(every, clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
