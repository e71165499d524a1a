using System.Globalization;
using Spectre.Console;

namespace Funnel.Cli.Input;

/// <summary>
/// Shows a progress bar on stderr while the library's reader reads a file (bytes read, the rate, and an estimate of
/// events per second), but only on an interactive stderr and only when the read takes longer than
/// <see cref="DefaultDelay"/>: a redirected stderr (a script, a log file) or <c>--quiet</c> gets none.
/// </summary>
internal static class ReadProgressBar
{
    /// <summary>How long a read runs before the bar appears.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(1);

    /// <summary>The environment variable that overrides <see cref="DefaultDelay"/> in milliseconds (for tests).</summary>
    public const string DelayVariable = "FUNNEL_PROGRESS_DELAY_MS";

    private const int SampleBytes = 1 << 16;

    /// <summary>Runs <paramref name="read"/>, which reports the bytes read to the progress it is given (null when no bar can be shown).</summary>
    public static T Run<T>(CliContext context, bool quiet, string path, Func<IProgress<long>?, T> read)
    {
        if (quiet || !context.ErrorIsTerminal)
        {
            return read(null);
        }

        var size = new FileInfo(path).Length;
        var bytesPerEvent = BytesPerLine(path);
        var progress = new LatestValue();
        var task = Task.Run(() => read(progress));
        if (!task.Wait(Delay()))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            context.CreateErrorConsole().Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .Start(ctx =>
                {
                    var bar = ctx.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: Math.Max(1, size));
                    while (!task.Wait(100))
                    {
                        var done = progress.Value;
                        bar.Value = done;
                        var eventsPerSecond = done / bytesPerEvent / Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                        bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)} · ~{eventsPerSecond:N0} events/s"));
                    }

                    bar.Value = size;
                });
        }

        return task.GetAwaiter().GetResult();
    }

    private static TimeSpan Delay() =>
        int.TryParse(Environment.GetEnvironmentVariable(DelayVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : DefaultDelay;

    /// <summary>The mean bytes per line of the file's first 64 KiB, to turn bytes per second into events per second.</summary>
    private static double BytesPerLine(string path)
    {
        var buffer = new byte[SampleBytes];
        int length;
        using (var file = File.OpenRead(path))
        {
            length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        var lines = buffer.AsSpan(0, length).Count((byte)'\n');
        return lines == 0 ? Math.Max(1, length) : (double)length / lines;
    }

    /// <summary>Keeps the largest total reported (from the reader's threads).</summary>
    private sealed class LatestValue : IProgress<long>
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Report(long value)
        {
            var current = Interlocked.Read(ref _value);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref _value, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
