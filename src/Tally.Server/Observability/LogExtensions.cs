using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tally.Server.Observability;

/// <summary>Structured log messages. Only names, counts and exception types: never payloads or property values.</summary>
public static partial class LogExtensions
{
    public static ILogger GetLogger(this IServiceProvider services, string category) =>
        services.GetRequiredService<ILoggerFactory>().CreateLogger(category);

    [LoggerMessage(Level = LogLevel.Error, Message = "Store write failed ({ExceptionType}); the request was answered 503 and nothing was acknowledged")]
    public static partial void LogStoreFailure(this ILogger logger, string exceptionType);
}
