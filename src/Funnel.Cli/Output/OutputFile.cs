namespace Funnel.Cli.Output;

/// <summary>Writes a command's result to a file or, without one, to stdout; checks an output path before any work is done.</summary>
internal static class OutputFile
{
    /// <summary>Gets a value indicating whether <paramref name="path"/> means stdout (no path, or <c>-</c>).</summary>
    public static bool IsStdout(string? path) => string.IsNullOrEmpty(path) || path == "-";

    /// <summary>
    /// Checks that <paramref name="path"/> can be written — not a directory, its folder creatable, the file openable
    /// for writing — before the command reads its input, so that an unwritable <c>--out</c> is not found only after a
    /// long analysis. An existing file is opened without being changed; a new one is created and removed again.
    /// </summary>
    /// <exception cref="CliException">The path cannot be written (exit code 1).</exception>
    public static void CheckWritable(string? path)
    {
        if (IsStdout(path))
        {
            return;
        }

        RejectDirectory(path!);
        try
        {
            var full = Path.GetFullPath(path!);
            var folder = Path.GetDirectoryName(full);
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            var existed = File.Exists(full);
            using (new FileStream(full, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            if (!existed)
            {
                File.Delete(full);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out {path}: cannot write the file: {Why(path!, ex)}", ex);
        }
    }

    /// <summary>
    /// The format an output file's extension names, when no <c>--format</c> was given: the format of the first
    /// <paramref name="byExtension"/> entry whose extension matches, or a command-line error listing the formats
    /// (<paramref name="formats"/>, the values of the command's <c>--format</c>; null when it has none).
    /// </summary>
    /// <exception cref="CliException">The extension names no format (exit code 2).</exception>
    public static string FormatFromExtension(string path, IReadOnlyList<string>? formats, params (string Extension, string Format)[] byExtension)
    {
        RejectDirectory(path);
        var extension = Path.GetExtension(path);
        foreach (var (known, format) in byExtension)
        {
            if (string.Equals(extension, known, StringComparison.OrdinalIgnoreCase))
            {
                return format;
            }
        }

        var extensions = string.Join(", ", byExtension.Select(f => f.Extension));
        var last = extensions.LastIndexOf(", ", StringComparison.Ordinal);
        extensions = last < 0 ? extensions : extensions[..last] + " or " + extensions[(last + 2)..];
        throw new CliException(
            $"--out {path}: {(extension.Length == 0 ? "a file name without an extension" : $"the extension '{extension}'")} names no format; {(formats is null ? "" : $"add --format {string.Join("|", formats)}, or ")}end the file name in {extensions}.",
            ExitCodes.Usage);
    }

    public static void WriteText(string? path, string text, CliContext context)
    {
        if (IsStdout(path))
        {
            context.Out.Write(text);
            return;
        }

        RejectDirectory(path!);
        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path!));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path!, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write the file: {Why(path!, ex)}", ex);
        }

        context.Error.WriteLine($"Wrote {path}.");
    }

    /// <summary>Why a path cannot be written: a folder on the way that is a file, or the system's message.</summary>
    private static string Why(string path, Exception exception)
    {
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return $"{folder} is a file, not a folder.";
            }
        }

        return exception.Message;
    }

    /// <summary>Rejects an output path that is an existing directory (or ends in a directory separator).</summary>
    /// <exception cref="CliException">The path is a directory (exit code 1).</exception>
    public static void RejectDirectory(string path)
    {
        if (Directory.Exists(path) || Path.EndsInDirectorySeparator(path))
        {
            throw new CliException($"--out {path}: is a directory, not a file; name a file (in it, or elsewhere).");
        }
    }
}
