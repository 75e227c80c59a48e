package io.concord.event.codec;

import io.concord.event.ChangeEvent;
import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro build Concord's generated record classes, and only those: Avro 1.12 refuses to instantiate classes
 * outside a trusted list when it reads or writes specific records. Whoever builds an Avro reader or writer of
 * them calls {@link #ensure} first.
 */
final class TrustedClasses {

    static {
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                type -> type.getPackageName().equals(ChangeEvent.class.getPackageName())));
    }

    private TrustedClasses() {
    }

    /** Installs the trust, once (the class's initializer does it). */
    static void ensure() {
    }
}
