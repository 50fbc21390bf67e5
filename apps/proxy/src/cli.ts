console.error("switchyard: not built yet");
