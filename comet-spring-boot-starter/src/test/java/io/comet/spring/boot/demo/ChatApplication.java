package io.comet.spring.boot.demo;

import io.comet.core.engine.CometEngine;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot application that uses Comet through the starter: a controller publishes. */
@SpringBootApplication
public class ChatApplication {

    /** The application's controller: {@code POST /chat?room=…&text=…} publishes to pipe {@code web_<room>}. */
    @RestController
    public static class ChatController {
        private final CometEngine comet;

        public ChatController(CometEngine comet) {
            this.comet = comet;
        }

        @PostMapping("/chat")
        public String post(@RequestParam("room") String room, @RequestParam("text") String text) {
            int sent = comet.publish(0, "web_" + room, "message", text).join();
            return "sent to " + sent;
        }
    }
}
