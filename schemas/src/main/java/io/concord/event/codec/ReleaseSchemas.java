package io.concord.event.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.avro.Schema;

/**
 * Freezes the current schemas as a released version: writes them, self-contained, into
 * {@code history/<version>/} and appends the version to {@code history/versions.txt}. From then
 * on the compatibility gate holds every later change to them.
 *
 * <p>Usage: {@code ReleaseSchemas <version> <history dir>}, e.g. {@code v2 schemas/history}.
 */
public final class ReleaseSchemas {

    private ReleaseSchemas() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !args[0].matches("v[0-9]+")) {
            throw new IllegalArgumentException("usage: ReleaseSchemas <version like v2> <history dir>");
        }
        Path history = Path.of(args[1]).toAbsolutePath();
        Path folder = history.resolve(args[0]);
        if (Files.exists(folder)) {
            throw new IllegalStateException(folder + " exists already: a released version is never rewritten");
        }
        Files.createDirectories(folder);
        for (Schema schema : EventCodec.CURRENT) {
            Files.writeString(folder.resolve(schema.getName() + ".avsc"), schema.toString(true) + "\n",
                    StandardCharsets.UTF_8);
        }
        Files.writeString(history.resolve("versions.txt"), args[0] + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println("released " + args[0] + " into " + folder);
    }
}
