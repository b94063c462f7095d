namespace Tally.Storage.ClickHouse;

/// <summary>ClickHouse refused a query or answered in a way this store cannot read; the message is the server's own.</summary>
public sealed class ClickHouseException : Exception
{
    public ClickHouseException(string message) : base(message)
    {
    }

    public ClickHouseException(string message, Exception inner) : base(message, inner)
    {
    }

    public ClickHouseException()
    {
    }
}
