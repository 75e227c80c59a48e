package io.concord.replicator.testing;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.util.function.Consumer;

/**
 * Binds a container port to a fixed loopback port of the host.
 *
 * <p>Docker gives a restarted container new random host ports; a fault test that stops and starts a
 * server expects the address its clients hold to stay valid, as it does for a real server.
 */
final class FixedHostPort {

    private FixedHostPort() {
    }

    static Consumer<CreateContainerCmd> bind(int containerPort, int hostPort) {
        return cmd -> cmd.getHostConfig().withPortBindings(
                new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", hostPort), ExposedPort.tcp(containerPort)));
    }
}
