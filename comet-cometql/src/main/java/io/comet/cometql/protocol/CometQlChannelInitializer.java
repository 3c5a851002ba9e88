package io.comet.cometql.protocol;

import io.comet.cometql.CometQlConfig;
import io.comet.cometql.table.CometQlExecutor;
import io.comet.core.engine.CometEngine;
import io.comet.tls.ServerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds each CometQL connection's pipeline: with TLS, {@link SslRequestUpgrade} first (replaced by
 * an {@code SslHandler} after an {@code SSLRequest}), then {@value #FRAME_CODEC} ({@link MySqlFrameCodec}) →
 * {@value #FLOW_CONTROL} (one packet per {@code read()}) → {@value #SEQUENCE_ID} → {@link DrainHandler} → {@value #FRONTEND}
 * ({@link MySqlFrontendHandler}). Channels must run with autoRead off.
 */
public final class CometQlChannelInitializer extends ChannelInitializer<Channel> {

    public static final String FRAME_CODEC = "mysqlFrameCodec";
    public static final String FLOW_CONTROL = "flowControl";
    public static final String SEQUENCE_ID = "sequenceId";
    public static final String FRONTEND = "cometqlFrontend";

    private final CometEngine engine;
    private final CometQlConfig config;
    private final CometQlExecutor executor;
    private final CometQlGuards guards;
    private final ChannelGroup channels;
    private final AtomicLong connectionIds = new AtomicLong();
    private final ServerTls tls;

    /** An initializer sharing one executor and the listener's guards; channels are added to {@code channels} (may be null). */
    public CometQlChannelInitializer(CometEngine engine, CometQlConfig config, CometQlExecutor executor,
                                     CometQlGuards guards, ChannelGroup channels) {
        this(engine, config, executor, guards, channels, null);
    }

    /** The same offering the TLS upgrade with {@code tls} (null: plain only). */
    public CometQlChannelInitializer(CometEngine engine, CometQlConfig config, CometQlExecutor executor,
                                     CometQlGuards guards, ChannelGroup channels, ServerTls tls) {
        this.tls = tls;
        this.engine = engine;
        this.config = config;
        this.executor = executor;
        this.guards = guards;
        this.channels = channels;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.config().setAutoRead(false);
        if (!ConnectionGate.admit(ch, guards)) {
            return; // ERR 1040 written, closing
        }
        if (channels != null) {
            channels.add(ch);
        }
        MySqlFrameCodec codec = new MySqlFrameCodec(config.maxPacketBytes());
        if (tls != null) {
            ch.pipeline().addLast(SslRequestUpgrade.NAME, new SslRequestUpgrade(tls));
        }
        ch.pipeline().addLast(PacketDeadline.NAME, new PacketDeadline(guards.limits().packetTimeout().toNanos(), codec));
        ch.pipeline().addLast(FRAME_CODEC, codec);
        ch.pipeline().addLast(FLOW_CONTROL, new CometQlFlowControlHandler());
        ch.pipeline().addLast(SEQUENCE_ID, new MySqlSequenceIdHandler(codec));
        ch.pipeline().addLast(DrainHandler.NAME, new DrainHandler());
        ch.pipeline().addLast(FRONTEND, new MySqlFrontendHandler(engine, config, executor, guards,
                connectionIds.incrementAndGet(), tls != null));
    }
}
