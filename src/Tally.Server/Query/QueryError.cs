namespace Tally.Server.Query;

/// <summary>Why a query has no answer: the HTTP status the API answers with, a stable code and a sentence naming the problem.</summary>
public sealed record QueryError(int Status, string Code, string Message)
{
    public static QueryError BadRequest(string code, string message) => new(400, code, message);

    public static QueryError NotFound(string message) => new(404, "not_found", message);
}

/// <summary>A query's response, or the reason there is none. The API and the CLI render both the same way.</summary>
public sealed record QueryAnswer<T>(T? Value, QueryError? Error)
    where T : class
{
    public static implicit operator QueryAnswer<T>(T value) => new(value, null);

    public static implicit operator QueryAnswer<T>(QueryError error) => new(null, error);
}
