window.YTD.note_tweet.part0 = [
  {
    "noteTweet" : {
      "noteTweetId" : "2030247310245109761",
      "updatedAt" : "2026-03-07T11:40:12.000Z",
      "lifecycle" : {
        "value" : "1",
        "name" : "Enabled",
        "originalValue" : "1",
        "originalName" : "Enabled"
      },
      "createdAt" : "2026-03-07T11:40:12.000Z",
      "core" : {
        "styletags" : [],
        "urls" : [],
        "text" : "The buses are gone. I stood at the Old Harbour gate from 06:00 to 11:30 and counted 14 buses, 9 of them in the first hour. Civil defence volunteers checked names against a list; families without papers were told to wait for the afternoon convoy. An old man asked me to write that his wife Huda, 71, cannot walk to the gate and is still in their flat on Mill Street, third floor, and that he left only because the volunteers promised to send someone for her. If you are in Sarvan and can reach Mill Street, please go. I will ask civil defence again at 14:00.",
        "mentions" : [],
        "cashtags" : [],
        "hashtags" : []
      }
    }
  }
]
