namespace Funnel.Cli.Output;

/// <summary>Writes a command's result to a file or, without one, to stdout.</summary>
internal static class OutputFile
{
    public static void WriteText(string? path, string text, CliContext context)
    {
        if (string.IsNullOrEmpty(path) || path == "-")
        {
            context.Out.Write(text);
            return;
        }

        try
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllText(path, text);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot write the file: {ex.Message}", ex);
        }

        context.Error.WriteLine($"Wrote {path}.");
    }
}
