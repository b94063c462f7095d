namespace Tally.Storage.ClickHouse.Sql;

/// <summary>
/// Optional strings are stored as '' when absent: Nullable columns cost a second column each, cannot be in a sort key
/// on 18.16, and an empty id, source or request id means nothing anyway. So an empty string reads back as null.
/// </summary>
internal static class Optional
{
    public static string ToColumn(string? value) => value ?? "";

    public static string? FromColumn(string value) => value.Length == 0 ? null : value;
}
