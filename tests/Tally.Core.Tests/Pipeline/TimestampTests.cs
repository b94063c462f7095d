using Tally.Core.Events;
using Tally.Core.Tests.Support;

namespace Tally.Core.Tests.Pipeline;

public class TimestampTests
{
    private static PipelineOutcomeAt Send(string timestampFields) =>
        new(Some.Pipeline(TestPlans.Shop).Process(Some.Track("page_viewed", extra: timestampFields)));

    private sealed record PipelineOutcomeAt(Tally.Core.Pipeline.PipelineOutcome Outcome)
    {
        public CollectedEvent Event => OutcomeAssert.Accepted(Outcome).Event;
    }

    [Fact]
    public void Client_clock_skew_is_corrected_with_sentAt()
    {
        // The client's clock is 5 minutes fast: it says it sent at 10:05, the server received at 10:00.
        var e = Send("\"timestamp\":\"2024-05-21T10:00:00Z\",\"sentAt\":\"2024-05-21T10:05:00Z\"").Event;

        Assert.Equal(new DateTimeOffset(2024, 5, 21, 9, 55, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(Some.Now, e.ReceivedAt);
        Assert.Null(e.OriginalTimestamp);
    }

    [Fact]
    public void Timestamp_without_sentAt_is_kept_as_sent()
    {
        var e = Send("\"timestamp\":\"2024-05-21T09:30:00+02:00\"").Event;
        Assert.Equal(new DateTimeOffset(2024, 5, 21, 7, 30, 0, TimeSpan.Zero), e.Timestamp);
    }

    [Fact]
    public void Timestamp_far_in_the_future_is_clamped_to_receipt_and_the_original_kept()
    {
        const string future = "2024-05-23T10:00:00Z";
        var e = Send($"\"timestamp\":\"{future}\"").Event;

        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Equal(future, e.OriginalTimestamp);
    }

    [Fact]
    public void Timestamp_older_than_the_backfill_limit_is_clamped()
    {
        var e = Send("\"timestamp\":\"2021-01-01T00:00:00Z\"").Event;
        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Equal("2021-01-01T00:00:00Z", e.OriginalTimestamp);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("05/21/2024 10:00")]
    public void Unparsable_timestamp_is_quarantined(string text)
    {
        var q = OutcomeAssert.Quarantined(Send($"\"timestamp\":\"{text}\"").Outcome);
        Assert.Equal(ViolationCodes.BadTimestamp, Assert.Single(q.Reasons).Code);
    }

    [Fact]
    public void Missing_timestamp_means_the_time_of_receipt()
    {
        var e = Send("\"context\":{}").Event;
        Assert.Equal(Some.Now, e.Timestamp);
        Assert.Null(e.OriginalTimestamp);
    }
}
