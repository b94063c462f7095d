using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tally.Server.Governance;

/// <summary>
/// Applies retention every <paramref name="every"/> (default one hour, <c>--retention-every</c>). The first run waits
/// <paramref name="firstAfter"/> rather than running at start, so a server that is restarted or started for a test does
/// not delete anything in its first minutes; a failed run is logged and audited, and the next one tries again.
/// </summary>
internal sealed class RetentionService(RetentionRun run, TimeSpan every, TimeSpan firstAfter, TimeProvider clock, ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(firstAfter, clock, stoppingToken).ConfigureAwait(false);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var report = await run.RunAsync(clock.GetUtcNow(), dryRun: false, actor: "retention-schedule", role: "system", stoppingToken).ConfigureAwait(false);
                    logger.LogRetentionRun(report.Archived, report.Deleted, report.RollupRowsDeleted);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogRetentionFailure(ex.GetType().Name, ex.Message);
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
