using System.Globalization;

/// <summary>
/// The machine's CPU time from <c>/proc/stat</c>, so a run can say how busy the machine was and how much time its
/// hypervisor took (steal): on a shared VM a slow run is often a run the host took cores from.
/// </summary>
internal readonly record struct CpuTimes(long Busy, long Idle, long Steal)
{
    public static CpuTimes Read()
    {
        if (!File.Exists("/proc/stat")) return default;
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice
        var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long At(int i) => f.Length > i ? long.Parse(f[i], CultureInfo.InvariantCulture) : 0;
        return new CpuTimes(At(1) + At(2) + At(3) + At(6) + At(7), At(4) + At(5), At(8));
    }

    /// <summary>Shares of all cores' time since <paramref name="start"/>, or an empty string off Linux.</summary>
    public string Since(CpuTimes start)
    {
        var busy = Busy - start.Busy;
        var idle = Idle - start.Idle;
        var steal = Steal - start.Steal;
        var total = busy + idle + steal;
        return total <= 0 ? "" : $"machine busy {100.0 * busy / total:F0}%, idle {100.0 * idle / total:F0}%, stolen by the host {100.0 * steal / total:F1}%";
    }
}
