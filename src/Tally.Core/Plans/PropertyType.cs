namespace Tally.Core.Plans;

public enum PropertyType
{
    String,
    Integer,
    Number,
    Boolean,
    /// <summary>ISO 8601 date-time (or a date, for day-coarsened fields).</summary>
    Timestamp,
    Enum,
    Array,
    Object,
}
