using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tally.Server.Configuration;

namespace Tally.Server.Governance;

/// <summary>Registers the retention run (shared by the hourly job and the admin endpoint) and the scheduled jobs the options turn on.</summary>
internal static class GovernanceJobs
{
    public static void Register(IServiceCollection services, TallyServerOptions options)
    {
        var run = new RetentionRun(options.Store, options.Plan) { ArchiveDirectory = options.ArchiveDirectory };
        services.AddSingleton(run);
        if (options.RetentionEvery is { } every && every > TimeSpan.Zero)
        {
            var first = options.RetentionFirstRunAfter < every ? options.RetentionFirstRunAfter : every;
            services.AddHostedService(sp => new RetentionService(run, every, first, options.Clock, sp.GetRequiredService<ILogger<RetentionService>>()));
        }

        if (options.ExportDirectory is { } dir && options.ExportEvery > TimeSpan.Zero)
        {
            var exporter = new EventExporter(options.Store, options.Plan);
            services.AddHostedService(sp => new ScheduledExportService(exporter, dir, options.ExportEvery, options.Clock, sp.GetRequiredService<ILogger<ScheduledExportService>>()));
        }
    }
}
