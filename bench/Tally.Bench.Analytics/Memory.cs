using System.Diagnostics;
using System.Globalization;

/// <summary>Process memory at one moment: peak working set so far and bytes the GC has allocated since start.</summary>
internal sealed record Memory(long PeakWorkingSet, long Allocated)
{
    public static Memory Now()
    {
        using var process = Process.GetCurrentProcess();
        return new Memory(process.PeakWorkingSet64, GC.GetTotalAllocatedBytes(precise: true));
    }

    /// <summary>Bytes in use on the managed heap after a full collection (what the process really holds).</summary>
    public static long Managed() => GC.GetTotalMemory(forceFullCollection: true);

    /// <summary>CPU time this process has used (all threads): on a shared machine, steadier than wall time.</summary>
    public static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    public static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB";
}
